/**
 * Extension URLs the HL7 v2 mapping writes on Patient (FHIR core extensions, US Core race and ethnicity, and the
 * registry's own extensions for PD1 facts that FHIR has no element for; CDC IG R1.5 PD1 segment).
 */
import type { Extension } from '@medplum/fhirtypes';

/** FHIR core extension: mother's maiden name (our `mothers-maiden-name` SearchParameter reads it). */
export const EXT_MOTHERS_MAIDEN_NAME = 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName';
/** FHIR core extension on birthDate: the time of birth. */
export const EXT_BIRTH_TIME = 'http://hl7.org/fhir/StructureDefinition/patient-birthTime';
/** FHIR core extension: place of birth (valueAddress). */
export const EXT_BIRTH_PLACE = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';
/** US Core race. */
export const EXT_US_CORE_RACE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
/** US Core ethnicity. */
export const EXT_US_CORE_ETHNICITY = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';
/** Registry extension: PD1-11 publicity code (HL70215) with PD1-18 effective date; sub-extensions `code`, `date`. */
export const EXT_PUBLICITY = 'https://open-iis.org/fhir/StructureDefinition/publicity-code';
/** Registry extension: PD1-12 protection indicator with PD1-13 date; sub-extensions `value` (boolean), `date`. */
export const EXT_PROTECTION = 'https://open-iis.org/fhir/StructureDefinition/protection-indicator';
/** Registry extension: PD1-16 registry status (HL70441) with PD1-17 date; sub-extensions `code`, `date`. */
export const EXT_REGISTRY_STATUS = 'https://open-iis.org/fhir/StructureDefinition/registry-status';
/**
 * Registry extension on Address: the XAD-7 address type as sent (HL7 table 0190: L legal, P permanent, H home, M
 * mailing…), which Address.use/type cannot tell apart, so a Z32/Z42 PID-11 repeats what the sender reported.
 */
export const EXT_ADDRESS_TYPE = 'https://open-iis.org/fhir/StructureDefinition/hl7v2-address-type';
/** Registry extension on Immunization.education: the vaccine type (CVX) a VIS was given for (OBX 30956-7). */
export const EXT_VIS_VACCINE = 'https://open-iis.org/fhir/StructureDefinition/vis-vaccine-type';
/**
 * meta.security label of a protected patient (PD1-12 = Y): v3-Confidentiality R (restricted). Queries (QBP and
 * FHIR search) must not disclose a patient carrying it (CDC IG R1.5 section 8: protection indicator).
 */
export const SECURITY_PROTECTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' } as const;

/**
 * A complex extension from named parts, leaving out empty ones.
 * @param url - the extension URL.
 * @param parts - sub-extensions (undefined ones are dropped).
 * @returns the extension.
 */
export function complexExtension(url: string, parts: (Extension | undefined)[]): Extension {
  return { url, extension: parts.filter((p): p is Extension => p !== undefined) };
}

/**
 * Reads a sub-extension of a complex extension.
 * @param ext - the complex extension.
 * @param url - the part's url.
 * @returns the part.
 */
export function subExtension(ext: Extension | undefined, url: string): Extension | undefined {
  return ext?.extension?.find((e) => e.url === url);
}
