import type { Condition, Immunization, Observation, Patient } from '@medplum/fhirtypes';
import { mapToObservationCodes, type ForecastInput, type SupportingData } from '../../forecast/index.ts';
import { badRequest } from '../../fhir/outcomes.ts';

/** System of the 3-digit CDSi observation codes when a Condition carries one directly. */
export const CDSI_OBSERVATION_SYSTEM = 'https://www.cdc.gov/vaccines/programs/iis/cdsi.html';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const MVX = 'http://terminology.hl7.org/CodeSystem/MVX';

/**
 * The doses CDSi evaluates (LS §4.1 "Gather data"): completed (not refused, not entered-in-error) Immunizations
 * with a CVX code and a date. Sub-potent doses are flagged so CDSi marks them sub-standard.
 * @param immunizations - the patient's Immunizations.
 * @returns engine doses, keyed by the Immunization's id (or its position).
 */
export function dosesOf(immunizations: Immunization[]): ForecastInput['doses'] {
  return immunizations.flatMap((imm, i) => {
    if (imm.status !== 'completed' || !imm.occurrenceDateTime) return [];
    const cvx = imm.vaccineCode?.coding?.find((c) => c.system === CVX)?.code;
    if (!cvx) return [];
    const mvx = imm.manufacturer?.identifier?.system === MVX ? imm.manufacturer.identifier.value : undefined;
    return [{
      id: imm.id ?? `immunization-${i}`,
      date: imm.occurrenceDateTime.slice(0, 10),
      cvx,
      ...(mvx ? { mvx } : {}),
      ...(imm.expirationDate ? { lotExpiration: imm.expirationDate } : {}),
      ...(imm.isSubpotent ? { subStandard: true } : {}),
    }];
  });
}

/**
 * CDSi observations (indications and contraindications) from Conditions and Observations: a 3-digit CDSi code
 * directly, or a SNOMED CT / ICD-10 / CVX / CDCPHINVS code mapped through ScheduleSupportingData `observations`.
 * @param items - Conditions or Observations about the patient.
 * @param data - supporting data.
 * @returns observation codes with their onset dates.
 */
export function observationsOf(items: (Condition | Observation)[], data: SupportingData): ForecastInput['observations'] {
  const out: ForecastInput['observations'] = [];
  for (const item of items) {
    if (item.resourceType === 'Condition' && item.clinicalStatus?.coding?.some((c) => c.code === 'inactive' || c.code === 'resolved')) continue;
    const date = item.resourceType === 'Condition' ? (item.onsetDateTime ?? item.recordedDate) : item.effectiveDateTime;
    // An Observation's finding is its value (VXU OBX 59784-9 "disease with presumed immunity" = SNOMED varicella).
    const value = item.resourceType === 'Observation' ? (item.valueCodeableConcept?.coding ?? []) : [];
    for (const c of [...(item.code?.coding ?? []), ...value]) {
      if (!c.code) continue;
      const codes = c.system === CDSI_OBSERVATION_SYSTEM ? [c.code.padStart(3, '0')] : mapToObservationCodes(c.system ?? '', c.code, data);
      for (const code of codes) out.push({ code, ...(date ? { date: date.slice(0, 10) } : {}) });
    }
  }
  return out;
}

/**
 * Builds the engine input from FHIR resources.
 * @param patient - the patient (birthDate required).
 * @param immunizations - their immunizations.
 * @param conditions - Conditions/Observations giving CDSi indications and contraindications.
 * @param assessmentDate - the date to evaluate on.
 * @param data - supporting data.
 * @returns the input.
 */
export function toForecastInput(
  patient: Patient,
  immunizations: Immunization[],
  conditions: (Condition | Observation)[],
  assessmentDate: string,
  data: SupportingData,
): ForecastInput {
  if (!patient.birthDate || !/^\d{4}-\d{2}-\d{2}/.test(patient.birthDate)) {
    throw badRequest('The patient needs a full birthDate (YYYY-MM-DD) to be forecast', 'Patient.birthDate');
  }
  return {
    birthDate: patient.birthDate.slice(0, 10),
    gender: patient.gender ?? 'unknown',
    assessmentDate,
    doses: dosesOf(immunizations),
    observations: observationsOf(conditions, data),
  };
}
