import type { Immunization, Patient } from '@medplum/fhirtypes';
import { randomUUID } from 'node:crypto';

/** @returns a value unique to this test run, for identifiers and names that must not collide. */
export function unique(prefix = 'T'): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/**
 * A valid IIS Patient with a unique MRN and family name.
 * @param overrides - fields to replace.
 * @returns the patient.
 */
export function buildPatient(overrides: Partial<Patient> = {}): Patient {
  return {
    resourceType: 'Patient',
    identifier: [{ system: 'https://open-iis.org/fhir/sid/test-mrn', value: unique('MRN') }],
    name: [{ family: unique('Testfamily'), given: ['Ava'] }],
    gender: 'female',
    birthDate: '2020-02-15',
    ...overrides,
  };
}

/**
 * A valid IIS Immunization (administered DTaP with lot and manufacturer) for a patient.
 * @param patientId - the stored patient's id.
 * @param overrides - fields to replace.
 * @returns the immunization.
 */
export function buildImmunization(patientId: string, overrides: Partial<Immunization> = {}): Immunization {
  return {
    resourceType: 'Immunization',
    status: 'completed',
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '20', display: 'DTaP' }] },
    patient: { reference: `Patient/${patientId}` },
    occurrenceDateTime: '2020-04-20',
    primarySource: true,
    lotNumber: unique('LOT'),
    manufacturer: { identifier: { system: 'http://terminology.hl7.org/CodeSystem/MVX', value: 'PMC' }, display: 'Sanofi Pasteur' },
    ...overrides,
  };
}
