import type { Immunization, Patient, Resource } from '@medplum/fhirtypes';
import { FhirError, errorIssue, outcome } from '../fhir/outcomes.ts';
import type { Repository } from '../store/repository.ts';

/**
 * Registry rules that need other stored records, checked on every write after structural and profile validation
 * (422 per https://hl7.org/fhir/R4/http.html#update for business-rule failures): an Immunization must point at a
 * stored Patient and cannot be given before that patient was born.
 * @param resource - the resource being written.
 * @param repo - the repository of the current unit of work.
 */
export async function checkRecordRules(resource: Resource, repo: Repository): Promise<void> {
  await checkRecordRulesMany([resource], repo);
}

function patientIdOf(imm: Immunization): string | undefined {
  const ref = imm.patient?.reference;
  return (ref ? /^(?:.*\/)?Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref) : null)?.[1];
}

/**
 * The record rules of several resources, reading the patients they need in one statement (transaction bundles).
 * @param resources - resources just written.
 * @param repo - the repository of the current unit of work.
 */
export async function checkRecordRulesMany(resources: Resource[], repo: Repository): Promise<void> {
  const imms = resources.filter((r): r is Immunization => r.resourceType === 'Immunization');
  if (!imms.length) return;
  const ids = [...new Set(imms.map(patientIdOf).filter((id): id is string => !!id))];
  const patients = new Map((await repo.readMany(ids.map((id) => ({ type: 'Patient', id })))).map((p) => [p.id as string, p as Patient]));
  for (const imm of imms) checkImmunization(imm, patients);
}

function checkImmunization(imm: Immunization, patients: Map<string, Patient>): void {
  const ref = imm.patient?.reference;
  const id = patientIdOf(imm);
  if (!id) {
    throw new FhirError(422, outcome([errorIssue('business-rule', 'Immunization.patient must reference a Patient of this registry', 'Immunization.patient')]));
  }
  const patient = patients.get(id);
  if (!patient) {
    throw new FhirError(422, outcome([errorIssue('business-rule', `Immunization.patient refers to ${ref}, which does not exist`, 'Immunization.patient')]));
  }
  const when = imm.occurrenceDateTime;
  if (when && patient.birthDate && when.slice(0, 10) < patient.birthDate.slice(0, when.slice(0, 10).length)) {
    throw new FhirError(422, outcome([
      errorIssue('business-rule', `occurrenceDateTime ${when} is before the patient's birth date ${patient.birthDate}`, 'Immunization.occurrence'),
    ]));
  }
}
