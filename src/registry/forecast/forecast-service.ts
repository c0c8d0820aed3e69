import type { Condition, Immunization, ImmunizationEvaluation, ImmunizationRecommendation, Observation, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forecastPatient, loadSupportingData, type SupportingData } from '../../forecast/index.ts';
import type { SearchParameterRegistry } from '../../fhir/search/search-parameters.ts';
import { parseSearchRequest } from '../../fhir/search/parse-search-request.ts';
import type { Repository } from '../../store/repository.ts';
import { toForecastInput } from './fhir-input.ts';
import { toEvaluation, toRecommendation } from './fhir-output.ts';

/** The CDSi supporting data release shipped with the registry; a new release is a new folder here. */
export const DEFAULT_CDSI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'forecast', 'supporting-data', '4.64');

/** A forecast in FHIR form. */
export interface FhirForecast {
  evaluations: ImmunizationEvaluation[];
  recommendation: ImmunizationRecommendation;
}

/** @returns today's date (UTC) as YYYY-MM-DD. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Id of the stored ImmunizationRecommendation of a patient: one per patient, replaced on every refresh. */
export function storedRecommendationId(patientId: string): string {
  return `fc-${patientId}`.slice(0, 64);
}

/**
 * The registry's recommender: runs the CDSi engine on FHIR records and keeps each patient's stored
 * ImmunizationRecommendation current.
 */
export class ForecastService {
  readonly data: SupportingData;

  /**
   * @param searchParameters - to query a patient's immunizations.
   * @param dir - folder of the CDSi supporting data XML.
   */
  constructor(
    private readonly searchParameters: SearchParameterRegistry,
    dir: string = DEFAULT_CDSI_DIR,
  ) {
    this.data = loadSupportingData(dir);
  }

  /**
   * Forecasts from resources (stored or not).
   * @param patient - the patient.
   * @param immunizations - their immunizations.
   * @param conditions - indications and contraindications.
   * @param assessmentDate - the date to evaluate on.
   * @returns evaluations and recommendation.
   */
  forecast(patient: Patient, immunizations: Immunization[], conditions: (Condition | Observation)[], assessmentDate: string): FhirForecast {
    const result = forecastPatient(toForecastInput(patient, immunizations, conditions, assessmentDate, this.data), this.data);
    const patientRef: Reference<Patient> = patient.id ? { reference: `Patient/${patient.id}` } : { display: 'the patient parameter' };
    const byId = new Map(immunizations.map((imm, i) => [imm.id ?? `immunization-${i}`, imm]));
    const ref = (id: string): Reference<Immunization> => (byId.get(id)?.id ? { reference: `Immunization/${id}` } : { display: `immunization parameter ${id.replace('immunization-', '')}` });
    return {
      evaluations: result.evaluations.map((e) => toEvaluation(e, patientRef, assessmentDate, ref(e.doseId))),
      recommendation: toRecommendation(result, patientRef, assessmentDate, ref),
    };
  }

  /**
   * Reads a stored patient's immunizations (not entered-in-error).
   * @param repo - repository.
   * @param patientIds - patients.
   * @returns immunizations by patient id.
   */
  async immunizationsOf(repo: Repository, patientIds: string[]): Promise<Map<string, Immunization[]>> {
    return this.byPatient<Immunization>(repo, 'Immunization', 'patient', patientIds, (r) => r.patient?.reference);
  }

  /**
   * Reads the Observations stored about patients (evidence of immunity, contraindications and conditions reported
   * with VXU OBX segments, or written through FHIR), which CDSi takes as patient observations (LS §4.1, Table 4-6).
   * @param repo - repository.
   * @param patientIds - patients.
   * @returns observations by patient id.
   */
  async observationsOf(repo: Repository, patientIds: string[]): Promise<Map<string, Observation[]>> {
    return this.byPatient<Observation>(repo, 'Observation', 'subject', patientIds, (r) => r.subject?.reference);
  }

  /** The resources of a type that name each patient (not entered-in-error), 100 patients per search. */
  private async byPatient<T extends Resource>(repo: Repository, type: string, param: string, patientIds: string[], patientOf: (r: T) => string | undefined): Promise<Map<string, T[]>> {
    const out = new Map<string, T[]>(patientIds.map((id) => [id, []]));
    for (let i = 0; i < patientIds.length; i += 100) {
      const chunk = patientIds.slice(i, i + 100);
      const request = parseSearchRequest(this.searchParameters, [type], [[param, chunk.map((id) => `Patient/${id}`).join(',')], ['status:not', 'entered-in-error']], { maxCount: 100_000 });
      request.count = 100_000;
      for (const r of (await repo.search(request)).matches as T[]) out.get(patientOf(r)?.split('/').pop() as string)?.push(r);
    }
    return out;
  }

  /**
   * Recomputes and stores the ImmunizationRecommendation of each patient (after their immunizations or
   * demographics changed, or for everyone after a data release). Runs in the caller's transaction.
   * @param repo - repository (in a transaction for writes).
   * @param patientIds - patients to refresh.
   * @returns how many recommendations were written.
   */
  async refresh(repo: Repository, patientIds: string[]): Promise<number> {
    const ids = [...new Set(patientIds)];
    if (!ids.length) return 0;
    const patients = (await repo.readMany(ids.map((id) => ({ type: 'Patient', id })))) as Patient[];
    const found = patients.map((p) => p.id as string);
    const imms = await this.immunizationsOf(repo, found);
    const observations = await this.observationsOf(repo, found);
    await repo.lockMany(patients.map((p) => ({ type: 'ImmunizationRecommendation', id: storedRecommendationId(p.id as string) })));
    let n = 0;
    for (const p of patients) {
      if (!p.birthDate || p.birthDate.length < 10) continue;
      const { recommendation } = this.forecast(p, imms.get(p.id as string) ?? [], observations.get(p.id as string) ?? [], today());
      await repo.updateResource({ ...recommendation, id: storedRecommendationId(p.id as string) } as Resource);
      n++;
    }
    return n;
  }
}
