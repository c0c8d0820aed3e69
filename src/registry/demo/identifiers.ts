/** Identifier systems and formats shared by the synthetic generators. */
import type { CodeableConcept } from '@medplum/fhirtypes';

/** NPI naming system (http://hl7.org/fhir/sid/us-npi). */
export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
/** State immunization registry id assigned by the (fictional) Connecticut IIS. */
export const STATE_REGISTRY_SYSTEM = 'https://open-iis.org/fhir/sid/state-registry-id';
/** Prefix of the per-clinic medical record number systems; the clinic slug follows. */
export const MRN_SYSTEM_PREFIX = 'https://open-iis.org/fhir/sid/mrn-';
/** HL7 v2 table 0203 identifier types. */
export const IDENTIFIER_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Identifier.type for a medical record number. */
export const MR_TYPE: CodeableConcept = { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'MR', display: 'Medical record number' }] };
/** Identifier.type for a state registry id. */
export const SR_TYPE: CodeableConcept = { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'SR', display: 'State registry ID' }] };
/** Identifier.type for a provider number (NPI). */
export const NPI_TYPE: CodeableConcept = { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'NPI', display: 'National provider identifier' }] };

/**
 * Builds a 10-digit NPI with a valid check digit: the Luhn algorithm over the 9 digits prefixed by 80840, as CMS
 * specifies (https://www.cms.gov/Regulations-and-Guidance/Administrative-Simplification/NationalProvIdentStand).
 * @param base - nine-digit body; its first digit should be 1 (individual) or 2 (organisation).
 * @returns the NPI.
 */
export function makeNpi(base: number): string {
  const body = String(base).padStart(9, '0').slice(-9);
  const digits = `80840${body}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // Doubling starts from the rightmost digit of the payload, since the check digit will follow it.
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/**
 * Checks an NPI's Luhn check digit (with the 80840 prefix).
 * @param npi - ten digits.
 * @returns true when the check digit is right.
 */
export function isValidNpi(npi: string): boolean {
  return /^\d{10}$/.test(npi) && makeNpi(Number(npi.slice(0, 9))) === npi;
}
