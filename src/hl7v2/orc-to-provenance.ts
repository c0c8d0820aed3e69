/**
 * ORC-10 (entered by) and ORC-17 (entering organization) of a VXU dose group to a FHIR Provenance agent. The spec
 * (`specs/hl7v2-immunization.md` §2, after the HL7 V2-to-FHIR ORC map) puts both on Provenance, not on the
 * Immunization: R4 Immunization has no enterer element; ORC-12 (ordering provider) is `Immunization.performer`
 * with function OP (see `rxa-to-immunization.ts`).
 */
import type { Organization, ProvenanceAgent, Reference } from '@medplum/fhirtypes';
import { ceTriplets, xcnToReference } from './datatypes.ts';
import { reps, type Hl7Segment } from './segments.ts';

/** Provenance participant type of the person or organization that entered the order (THO provenance-participant-type). */
export const ENTERER_TYPE = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'enterer', display: 'Enterer' }] };

/** System of ORC-17 codes from HL7 table 0362 (facility). */
export const FACILITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0362';

/**
 * ORC-17 (CWE, HL70362 facility: `OP^Oceanview Pediatrics^HL70362`) as an Organization reference by identifier.
 * @param orc - the ORC segment.
 * @returns the reference, or undefined when ORC-17 is empty.
 */
export function enteringOrganization(orc: Hl7Segment | undefined): Reference<Organization> | undefined {
  const t = ceTriplets(reps(orc, 17)[0])[0];
  if (!t) return undefined;
  const system = !t.system || t.system.toUpperCase() === 'HL70362' ? FACILITY_SYSTEM : `urn:iis:aa:${encodeURIComponent(t.system)}`;
  return { type: 'Organization', ...(t.code ? { identifier: { system, value: t.code } } : {}), ...(t.display ? { display: t.display } : {}) };
}

/**
 * The enterer of one dose group (CDC IG R1.5 §6 ORC-10 "Entered By", ORC-17 "Entering Organization"): the person of
 * ORC-10 as `who` acting `onBehalfOf` the ORC-17 organization; the organization alone as `who` when ORC-10 is empty.
 * @param orc - the ORC segment of the group.
 * @returns the Provenance agent (type `enterer`), or undefined when neither field is valued.
 */
export function mapOrderEnterer(orc: Hl7Segment | undefined): ProvenanceAgent | undefined {
  const person = xcnToReference(reps(orc, 10)[0]);
  const org = enteringOrganization(orc);
  if (person) return { type: ENTERER_TYPE, who: person, ...(org ? { onBehalfOf: org } : {}) };
  if (org) return { type: ENTERER_TYPE, who: org };
  return undefined;
}
