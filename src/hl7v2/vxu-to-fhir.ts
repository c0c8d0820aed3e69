/**
 * VXU^V04 (profile Z22) to FHIR R4 resources (CDC IG R1.5 section 5.1 "Send Immunization History - VXU" and the
 * segment sections of chapter 6). Pure: the caller matches the patient, fills the patient references (placeholder
 * {@link PATIENT_PLACEHOLDER}) and applies the action codes.
 */
import type { Observation, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { hl7Issue, type Hl7Issue } from './issues.ts';
import type { ParsedMessage } from './message.ts';
import type { Hl7Segment } from './segments.ts';
import type { CodeTables } from './code-tables.ts';
import { mapPatient, type PatientIdentifier } from './pid-to-patient.ts';
import { mapRelatedPerson } from './nk1-to-related-person.ts';
import { mapDose, type DoseGroup, type DoseMapping } from './rxa-to-immunization.ts';
export { EXT_PROTECTION, EXT_PUBLICITY, EXT_REGISTRY_STATUS, SECURITY_PROTECTED } from './patient-extensions.ts';

export { PATIENT_PLACEHOLDER } from './obx-to-fhir.ts';

/** One immunization record of the message (see {@link DoseMapping}; `resource` is the Immunization). */
export type VxuImmunization = Omit<DoseMapping, 'issues' | 'observations'>;

/**
 * Everything a VXU says. Registry facts of PD1 are on the Patient: PD1-11 publicity as extension
 * {@link EXT_PUBLICITY}, PD1-12 protection as {@link EXT_PROTECTION} plus meta.security `R` when Y, PD1-16
 * registry status as {@link EXT_REGISTRY_STATUS} and Patient.active. `patientObservations` are Observation
 * resources (subject = placeholder) for OBX that describe the patient: contraindications (30945-0), evidence of
 * immunity (59784-9), serology (75505-8), conditions (75323-6) and reactions (31044-1), from any RXA, including the
 * `998` no-vaccine records, which produce no Immunization.
 */
export interface VxuMapping {
  patient: Patient;
  patientIdentifiers: PatientIdentifier[];
  relatedPersons: RelatedPerson[];
  immunizations: VxuImmunization[];
  patientObservations: Observation[];
  /** Convenience copy of PD1-12 = Y: the patient must not be disclosed by queries. */
  protected: boolean;
  issues: Hl7Issue[];
}

/**
 * Groups the segments after the patient into dose records: ORC opens a record, RXA completes it, RXR and OBX
 * attach to the RXA before them. Segments out of place give 100 segment sequence issues.
 * @param segments - the message segments.
 * @param issues - issues are appended here.
 * @returns the dose groups.
 */
export function groupDoses(segments: readonly Hl7Segment[], issues: Hl7Issue[]): DoseGroup[] {
  const groups: DoseGroup[] = [];
  let orc: Hl7Segment | undefined;
  let current: DoseGroup | undefined;
  for (const seg of segments) {
    const at = { segment: seg.name, sequence: seg.sequence };
    if (seg.name === 'ORC') {
      if (orc) issues.push(hl7Issue({ segment: 'ORC', sequence: orc.sequence }, '100', 'W', 'ORC without an RXA; ignored'));
      orc = seg;
      current = undefined;
    } else if (seg.name === 'RXA') {
      if (!orc) issues.push(hl7Issue(at, '100', 'W', 'RXA is not preceded by its ORC segment'));
      current = { ...(orc ? { orc } : {}), rxa: seg, obx: [] };
      groups.push(current);
      orc = undefined;
    } else if (seg.name === 'RXR' || seg.name === 'OBX') {
      if (!current) issues.push(hl7Issue(at, '100', 'W', `${seg.name} is not under an RXA; ignored`));
      else if (seg.name === 'RXR') {
        if (current.rxr || current.obx.length) issues.push(hl7Issue(at, '100', 'W', 'Extra or misplaced RXR segment; ignored'));
        else current.rxr = seg;
      } else current.obx.push(seg);
    }
  }
  if (orc) issues.push(hl7Issue({ segment: 'ORC', sequence: orc.sequence }, '100', 'W', 'ORC without an RXA; ignored'));
  return groups;
}

/**
 * Maps a parsed VXU to FHIR resources, locating every problem instead of throwing: patient-level errors
 * (missing PID, PID-3, PID-5, PID-7) and record-level errors (RXA-3, RXA-5, unknown CVX, future date, date before
 * birth; the record comes back with `rejected: true`), warnings for unknown codes in non-essential fields
 * (value dropped).
 * @param msg - the parsed message (header already checked).
 * @param tables - the CDC code tables (load-code-tables.ts).
 * @param opts - `now` for date checks.
 * @returns the mapping.
 */
export function mapVxu(msg: ParsedMessage, tables: CodeTables, opts: { now: Date }): VxuMapping {
  const issues: Hl7Issue[] = [];
  const pid = msg.segments.find((s) => s.name === 'PID');
  const empty: VxuMapping = { patient: { resourceType: 'Patient' }, patientIdentifiers: [], relatedPersons: [], immunizations: [], patientObservations: [], protected: false, issues };
  if (!pid) {
    issues.push(hl7Issue({ segment: 'PID', sequence: 1 }, '100', 'E', 'Required PID segment is missing'));
    return empty;
  }
  for (const extra of msg.segments.filter((s) => s.name === 'PID' && s !== pid)) {
    issues.push(hl7Issue({ segment: 'PID', sequence: extra.sequence }, '100', 'E', 'A VXU carries one patient: extra PID segment'));
  }
  if (msg.segments[1] !== pid) issues.push(hl7Issue({ segment: 'PID', sequence: 1 }, '100', 'W', 'PID should directly follow MSH'));
  const pd1 = msg.segments.find((s) => s.name === 'PD1');
  const p = mapPatient(pid, pd1, opts.now, /([+-]\d{4})$/.exec(msg.header.dateTime)?.[1]);
  issues.push(...p.issues);
  const relatedPersons = msg.segments.filter((s) => s.name === 'NK1').map((s) => mapRelatedPerson(s, issues)).filter((r) => r !== undefined);
  const doses = groupDoses(msg.segments, issues).map((g) => mapDose(g, tables, { now: opts.now, ...(p.patient.birthDate ? { birthDate: p.patient.birthDate } : {}) }));
  const immunizations: VxuImmunization[] = [];
  const patientObservations: Observation[] = [];
  for (const d of doses) {
    issues.push(...d.issues);
    patientObservations.push(...d.observations);
    const { issues: _i, observations: _o, ...rest } = d;
    if (!d.noVaccine) immunizations.push(rest);
  }
  const isProtected = p.patient.meta?.security?.some((s) => s.code === 'R') ?? false;
  return { patient: p.patient, patientIdentifiers: p.identifiers, relatedPersons, immunizations, patientObservations, protected: isProtected, issues };
}
