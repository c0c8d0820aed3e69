/**
 * NK1 to RelatedPerson (CDC IG R1.5 section 6 "NK1 - Next of Kin Segment"; HL7 V2-to-FHIR NK1[RelatedPerson]).
 */
import type { RelatedPerson } from '@medplum/fhirtypes';
import { hl7Issue, type Hl7Issue } from './issues.ts';
import { reps, val, type Hl7Segment } from './segments.ts';
import { xadToAddress, xpnToName, xtnToContact } from './datatypes.ts';
import { RELATIONSHIPS, RELATIONSHIP_V3 } from './v2-tables.ts';
import { PATIENT_PLACEHOLDER } from './obx-to-fhir.ts';

/**
 * Maps one NK1: name (NK1-2), relationship (NK1-3, HL70063, with the v3-RoleCode equivalent when there is one),
 * address (NK1-4), phones (NK1-5 home, NK1-6 work). The patient reference is {@link PATIENT_PLACEHOLDER}.
 * @param nk1 - the segment.
 * @param issues - issues are appended here.
 * @returns the RelatedPerson, or undefined when NK1 has no name (NK1-2 is required).
 */
export function mapRelatedPerson(nk1: Hl7Segment, issues: Hl7Issue[]): RelatedPerson | undefined {
  const at = (field: number) => ({ segment: 'NK1', sequence: nk1.sequence, field });
  const name = xpnToName(reps(nk1, 2)[0]);
  if (!name) {
    issues.push(hl7Issue(at(2), '101', 'W', 'Required field NK1-2 name is missing; next of kin ignored', '7'));
    return undefined;
  }
  const person: RelatedPerson = { resourceType: 'RelatedPerson', patient: { reference: PATIENT_PLACEHOLDER }, name: [name] };
  const rel = val(nk1, 3).toUpperCase();
  if (rel && RELATIONSHIPS[rel]) {
    const v3 = RELATIONSHIP_V3[rel];
    person.relationship = [{
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/v2-0063', code: rel, display: RELATIONSHIPS[rel] },
        ...(v3 ? [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: v3 }] : []),
      ],
    }];
  } else if (rel) issues.push(hl7Issue({ ...at(3), component: 1 }, '103', 'W', `NK1-3 relationship ${rel} is not in HL70063; value ignored`, '5'));
  else issues.push(hl7Issue(at(3), '101', 'W', 'Required field NK1-3 relationship is missing', '7'));
  const address = reps(nk1, 4).map(xadToAddress).filter((a) => a !== undefined);
  if (address.length) person.address = address;
  const work = reps(nk1, 6).map(xtnToContact).filter((t) => t !== undefined).map((t) => ({ ...t, use: 'work' as const }));
  const telecom = [...reps(nk1, 5).map(xtnToContact).filter((t) => t !== undefined), ...work];
  if (telecom.length) person.telecom = telecom;
  return person;
}
