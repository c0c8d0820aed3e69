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
  if (resource.resourceType !== 'Immunization') return;
  const imm = resource as Immunization;
  const ref = imm.patient?.reference;
  const m = ref ? /^(?:.*\/)?Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref) : null;
  if (!m) {
    throw new FhirError(422, outcome([errorIssue('business-rule', 'Immunization.patient must reference a Patient of this registry', 'Immunization.patient')]));
  }
  let patient: Patient;
  try {
    patient = await repo.readResource<Patient>('Patient', m[1] as string);
  } catch {
    throw new FhirError(422, outcome([errorIssue('business-rule', `Immunization.patient refers to ${ref}, which does not exist`, 'Immunization.patient')]));
  }
  const when = imm.occurrenceDateTime;
  if (when && patient.birthDate && when.slice(0, 10) < patient.birthDate.slice(0, when.slice(0, 10).length)) {
    throw new FhirError(422, outcome([
      errorIssue('business-rule', `occurrenceDateTime ${when} is before the patient's birth date ${patient.birthDate}`, 'Immunization.occurrence'),
    ]));
  }
}
