/**
 * Maps clinical codes (SNOMED CT, ICD-10, CDC PHIN VS, CVX) to 3-digit CDSi observation codes using
 * ScheduleSupportingData `observations/codedValues`, for FHIR Condition or Observation input.
 */
import type { SupportingData } from './supporting-data-types.ts';

const SYSTEM_ALIASES: Record<string, string> = {
  'HTTP://SNOMED.INFO/SCT': 'SNOMED', SNOMED: 'SNOMED', SNOMEDCT: 'SNOMED', SCT: 'SNOMED',
  'HTTP://HL7.ORG/FHIR/SID/ICD-10-CM': 'ICD10', 'HTTP://HL7.ORG/FHIR/SID/ICD-10': 'ICD10', ICD10: 'ICD10', ICD10CM: 'ICD10',
  'HTTP://HL7.ORG/FHIR/SID/CVX': 'CVX', CVX: 'CVX', CDCPHINVS: 'CDCPHINVS', 'URN:OID:2.16.840.1.114222.4.5.274': 'CDCPHINVS',
};

/**
 * Returns the CDSi observation codes for a coded value.
 * @param system - the code system (FHIR URI or a short name such as SNOMED, ICD10, CVX, CDCPHINVS).
 * @param code - the code.
 * @param data - the supporting data.
 * @returns the matching 3-digit observation codes (possibly empty).
 */
export function mapToObservationCodes(system: string, code: string, data: SupportingData): string[] {
  const key = system.trim().toUpperCase();
  const normalized = SYSTEM_ALIASES[key] ?? key.replace(/[^A-Z0-9]/g, '');
  return data.observationIndex.get(`${normalized}|${code.trim()}`) ?? [];
}
