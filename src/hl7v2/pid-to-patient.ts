/**
 * PID and PD1 to a FHIR Patient (CDC IG R1.5 section 6 "PID - Patient Identification Segment" and
 * "PD1 - Patient Additional Demographic"; HL7 V2-to-FHIR PID[Patient] segment map).
 */
import type { Extension, Patient } from '@medplum/fhirtypes';
import { hl7Issue, type Hl7Issue } from './issues.ts';
import { comp, reps, val, type Hl7Segment } from './segments.ts';
import { cxToIdentifier, parseTs, xadToAddress, xpnToName, xtnToContact } from './datatypes.ts';
import { LANGUAGES, OMB_ETHNICITY, OMB_RACE, OTHER_RACE, PUBLICITY, REGISTRY_STATUS } from './v2-tables.ts';
import {
  complexExtension, EXT_BIRTH_PLACE, EXT_BIRTH_TIME, EXT_MOTHERS_MAIDEN_NAME, EXT_PROTECTION, EXT_PUBLICITY, EXT_REGISTRY_STATUS,
  EXT_US_CORE_ETHNICITY, EXT_US_CORE_RACE, SECURITY_PROTECTED,
} from './patient-extensions.ts';

/** A patient identifier, flattened. */
export interface PatientIdentifier {
  system: string;
  value: string;
  /** CX-5 identifier type (HL7 table 0203), '' when not sent. */
  type: string;
}

/** Result of mapping PID/PD1. */
export interface PatientMapping {
  patient: Patient;
  identifiers: PatientIdentifier[];
  issues: Hl7Issue[];
}

const CDCREC = 'urn:oid:2.16.840.1.113883.6.238';
const GENDER: Record<string, Patient['gender']> = { M: 'male', F: 'female', U: 'unknown', O: 'other', A: 'other', N: 'unknown' };

function raceExtension(url: string, pid: Hl7Segment, field: number, omb: Record<string, string>, issues: Hl7Issue[]): Extension | undefined {
  const parts: Extension[] = [];
  const texts: string[] = [];
  reps(pid, field).forEach((r) => {
    const code = comp(r, 1);
    const display = omb[code] ?? OTHER_RACE[code];
    if (!display) {
      issues.push(hl7Issue({ segment: 'PID', sequence: pid.sequence, field, component: 1 }, '103', 'W', `PID-${field} code ${code} is not in CDCREC; value ignored`, '5'));
      return;
    }
    parts.push({ url: omb[code] ? 'ombCategory' : 'detailed', valueCoding: { system: CDCREC, code, display } });
    texts.push(display);
  });
  return parts.length ? { url, extension: [...parts, { url: 'text', valueString: texts.join(', ') }] } : undefined;
}

function requiredIssues(pid: Hl7Segment, now: Date, issues: Hl7Issue[]): void {
  const at = (field: number, component?: number) => ({ segment: 'PID', sequence: pid.sequence, field, ...(component ? { component } : {}) });
  if (!reps(pid, 3).some((r) => comp(r, 1))) issues.push(hl7Issue(at(3), '101', 'E', 'Required field PID-3 patient identifier list is missing', '7'));
  reps(pid, 3).forEach((r) => {
    if (comp(r, 1) && !comp(r, 5)) issues.push(hl7Issue(at(3, 5), '101', 'W', 'PID-3 identifier has no identifier type code (CX-5)', '7'));
  });
  const legal = reps(pid, 5)[0];
  if (!legal) issues.push(hl7Issue(at(5), '101', 'E', 'Required field PID-5 patient name is missing', '7'));
  else if (!comp(legal, 1)) issues.push(hl7Issue(at(5, 1), '101', 'E', 'Required PID-5.1 family name is missing', '7'));
  else if (!comp(legal, 2)) issues.push(hl7Issue(at(5, 2), '101', 'W', 'PID-5.2 given name is missing', '7'));
  const dob = val(pid, 7);
  const parsed = parseTs(dob);
  if (!dob) issues.push(hl7Issue(at(7), '101', 'E', 'Required field PID-7 date of birth is missing', '7'));
  else if (!parsed || parsed.date.length !== 10) issues.push(hl7Issue(at(7), '102', 'E', 'PID-7 date of birth is not a valid date', '2'));
  else if (parsed.date > now.toISOString().slice(0, 10)) issues.push(hl7Issue(at(7), '999', 'E', 'PID-7 date of birth is in the future', '1'));
}

function pd1Facts(pd1: Hl7Segment | undefined, patient: Patient, issues: Hl7Issue[]): void {
  if (!pd1) return;
  const at = (field: number) => ({ segment: 'PD1', sequence: pd1.sequence, field });
  const date = (field: number) => {
    const d = parseTs(val(pd1, field));
    return d ? { url: 'date', valueDate: d.date } : undefined;
  };
  const ext: Extension[] = [];
  const publicity = val(pd1, 11);
  if (publicity && PUBLICITY[publicity]) {
    ext.push(complexExtension(EXT_PUBLICITY, [{ url: 'code', valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0215', code: publicity, display: PUBLICITY[publicity] }] } }, date(18)]));
  } else if (publicity) issues.push(hl7Issue(at(11), '103', 'W', `PD1-11 publicity code ${publicity} is not in HL70215; value ignored`, '5'));
  const protection = val(pd1, 12).toUpperCase();
  if (protection === 'Y' || protection === 'N') {
    ext.push(complexExtension(EXT_PROTECTION, [{ url: 'value', valueBoolean: protection === 'Y' }, date(13)]));
    if (protection === 'Y') patient.meta = { ...patient.meta, security: [{ ...SECURITY_PROTECTED }] };
  } else if (protection) issues.push(hl7Issue(at(12), '103', 'W', 'PD1-12 protection indicator must be Y or N; value ignored', '5'));
  const status = val(pd1, 16).toUpperCase();
  if (status && REGISTRY_STATUS[status]) {
    ext.push(complexExtension(EXT_REGISTRY_STATUS, [{ url: 'code', valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0441', code: status, display: REGISTRY_STATUS[status] }] } }, date(17)]));
    if (status === 'A') patient.active = true;
    else if ('ILMP'.includes(status)) patient.active = false;
  } else if (status) issues.push(hl7Issue(at(16), '103', 'W', `PD1-16 registry status ${status} is not in HL70441; value ignored`, '5'));
  if (ext.length) patient.extension = [...(patient.extension ?? []), ...ext];
}

/**
 * Maps PID (and PD1) to a Patient. Legal name first (XPN-7 L official; alias A usual), mother's maiden name as
 * the core extension, birth date (time kept in patient-birthTime), M/F/U gender (absent becomes `unknown`, the
 * iis-patient profile requires a gender), CDCREC race and ethnicity as US Core extensions, addresses (BDL as
 * patient-birthPlace), phones and email, language, multiple birth (PID-24 Y with PID-25 order gives
 * multipleBirthInteger), death (PID-29/30). PD1-11/12/16 become registry extensions; PD1-12 = Y also puts the
 * `R` confidentiality label in meta.security so that queries can refuse to disclose the patient; PD1-16 A makes
 * the patient active, I/L/M/P inactive.
 * @param pid - the PID segment.
 * @param pd1 - the PD1 segment, if any.
 * @param now - the current time (for future-date checks).
 * @param zone - the sender's UTC offset (from MSH-7), for a birth time sent without one.
 * @returns the patient, flattened identifiers and issues.
 */
export function mapPatient(pid: Hl7Segment, pd1: Hl7Segment | undefined, now: Date, zone?: string): PatientMapping {
  const issues: Hl7Issue[] = [];
  requiredIssues(pid, now, issues);
  const at = (field: number) => ({ segment: 'PID', sequence: pid.sequence, field });
  const patient: Patient = { resourceType: 'Patient' };
  const identifiers = reps(pid, 3).map(cxToIdentifier).filter((i) => i !== undefined);
  if (identifiers.length) patient.identifier = identifiers;
  const names = reps(pid, 5).map(xpnToName).filter((n) => n !== undefined);
  if (names.length) patient.name = names;
  const ext: Extension[] = [];
  const maiden = val(pid, 6, 1);
  if (maiden) ext.push({ url: EXT_MOTHERS_MAIDEN_NAME, valueString: maiden });
  const dob = parseTs(val(pid, 7), zone);
  if (dob && dob.date.length === 10) {
    patient.birthDate = dob.date;
    if (dob.hasTime && dob.dateTime.includes('T')) (patient as Patient & { _birthDate?: { extension: Extension[] } })._birthDate = { extension: [{ url: EXT_BIRTH_TIME, valueDateTime: dob.dateTime }] };
  }
  const sex = val(pid, 8).toUpperCase();
  if (sex && !GENDER[sex]) issues.push(hl7Issue(at(8), '103', 'W', `PID-8 sex ${sex} is not in HL70001; value ignored`, '5'));
  patient.gender = GENDER[sex] ?? 'unknown';
  const race = raceExtension(EXT_US_CORE_RACE, pid, 10, OMB_RACE, issues);
  const ethnicity = raceExtension(EXT_US_CORE_ETHNICITY, pid, 22, OMB_ETHNICITY, issues);
  ext.push(...[race, ethnicity].filter((e) => e !== undefined));
  const addresses = reps(pid, 11).filter((r) => comp(r, 7).toUpperCase() !== 'BDL').map(xadToAddress).filter((a) => a !== undefined);
  if (addresses.length) patient.address = addresses;
  const birthAddress = xadToAddress(reps(pid, 11).find((r) => comp(r, 7).toUpperCase() === 'BDL'));
  const birthPlace = val(pid, 23);
  if (birthAddress || birthPlace) ext.push({ url: EXT_BIRTH_PLACE, valueAddress: { ...(birthAddress ?? {}), ...(birthPlace ? { text: birthPlace } : {}), use: undefined } });
  const telecom = [...reps(pid, 13), ...reps(pid, 14).map((r) => { const c = r.map((x) => [...x]); c[1] = ['WPN']; return c; })].map(xtnToContact).filter((t) => t !== undefined);
  if (telecom.length) patient.telecom = telecom;
  const lang = val(pid, 15).toLowerCase();
  if (lang) patient.communication = [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: LANGUAGES[lang] ?? lang, ...(val(pid, 15, 2) ? { display: val(pid, 15, 2) } : {}) }] } }];
  const multiple = val(pid, 24).toUpperCase();
  const order = val(pid, 25);
  if (multiple && multiple !== 'Y' && multiple !== 'N') issues.push(hl7Issue(at(24), '103', 'W', 'PID-24 multiple birth indicator must be Y or N; value ignored', '5'));
  if (order && !/^\d+$/.test(order)) issues.push(hl7Issue(at(25), '102', 'W', 'PID-25 birth order is not a number; value ignored', '4'));
  if (multiple === 'Y' && /^\d+$/.test(order)) patient.multipleBirthInteger = Number(order);
  else if (multiple === 'Y' || multiple === 'N') patient.multipleBirthBoolean = multiple === 'Y';
  const death = val(pid, 29);
  const deathTs = parseTs(death);
  if (death && !deathTs) issues.push(hl7Issue(at(29), '102', 'W', 'PID-29 death date is not a valid date; value ignored', '2'));
  if (deathTs) patient.deceasedDateTime = deathTs.dateTime;
  else if (val(pid, 30).toUpperCase() === 'Y') patient.deceasedBoolean = true;
  if (ext.length) patient.extension = ext;
  pd1Facts(pd1, patient, issues);
  const flat = identifiers.map((i) => ({ system: i.system ?? '', value: i.value ?? '', type: i.type?.coding?.[0]?.code ?? '' }));
  return { patient, identifiers: flat, issues };
}
