import type { Role } from './access-claims.ts';
import type { Permission } from './scopes.ts';

/** Types that hold a person's immunization record (confidential under the state's IIS statute). */
export const RECORD_TYPES = ['Patient', 'Immunization', 'ImmunizationRecommendation', 'ImmunizationEvaluation', 'Observation', 'RelatedPerson', 'Consent', 'Provenance', 'Group'];
/** Directory types: who and where vaccinates; not patient data. */
export const DIRECTORY_TYPES = ['Organization', 'Location', 'Practitioner', 'PractitionerRole'];

/**
 * How far a role reaches into the records:
 * `statewide` every patient; `jurisdiction` patients living in the caller's jurisdiction; `self` the user's own
 * record and their minor children's; `none` no record access.
 */
export type RecordScope = 'statewide' | 'jurisdiction' | 'self' | 'none';

/**
 * Which writes a role may make: per type, the permissions and the ownership rule that applies to existing
 * resources and to the content written (`organization`: the caller's organization must be the reporting or managing
 * one; `any`: no ownership rule).
 */
export type WriteGrant = Record<string, { perms: Permission[]; owner: 'organization' | 'any' }>;

/** A role's row in the access table. */
export interface RoleGrant {
  records: RecordScope;
  directory: boolean;
  writes: WriteGrant;
  /** May read the audit trail. */
  audit: boolean;
  /** Operations the role may invoke (by name, without `$`); `*` for all. */
  operations: string[];
}

const CLINIC_WRITES: WriteGrant = {
  Patient: { perms: ['c', 'u'], owner: 'any' },
  RelatedPerson: { perms: ['c', 'u'], owner: 'any' },
  Immunization: { perms: ['c', 'u'], owner: 'organization' },
  Observation: { perms: ['c', 'u'], owner: 'any' },
  Provenance: { perms: ['c'], owner: 'any' },
};
const READ_OPS = ['validate', 'immds-forecast'];

/**
 * The access table, modelled on a state IIS's user roles (CT WiZ: clinic users, read-only look-up, school nurses,
 * local health departments, state administrators), plus patients/guardians and the two backend client kinds.
 */
export const ROLE_GRANTS: Record<Role, RoleGrant> = {
  'clinic-staff': { records: 'statewide', directory: true, writes: CLINIC_WRITES, audit: false, operations: READ_OPS },
  'vaccine-coordinator': {
    records: 'statewide',
    directory: true,
    writes: {
      ...CLINIC_WRITES,
      Practitioner: { perms: ['c', 'u'], owner: 'any' },
      PractitionerRole: { perms: ['c', 'u', 'd'], owner: 'organization' },
      Location: { perms: ['c', 'u'], owner: 'organization' },
    },
    audit: false,
    operations: READ_OPS,
  },
  'provider-lookup': { records: 'statewide', directory: true, writes: {}, audit: false, operations: READ_OPS },
  'school-nurse': { records: 'statewide', directory: true, writes: { Group: { perms: ['c', 'u', 'd'], owner: 'organization' } }, audit: false, operations: READ_OPS },
  'health-department': { records: 'jurisdiction', directory: true, writes: {}, audit: false, operations: READ_OPS },
  'state-admin': {
    records: 'statewide',
    directory: true,
    writes: Object.fromEntries([...RECORD_TYPES, ...DIRECTORY_TYPES].map((t) => [t, { perms: ['c', 'u', 'd'] as Permission[], owner: 'any' as const }])),
    audit: true,
    operations: ['*'],
  },
  patient: { records: 'self', directory: true, writes: {}, audit: false, operations: ['immds-forecast'] },
  'ehr-system': { records: 'statewide', directory: true, writes: CLINIC_WRITES, audit: false, operations: READ_OPS },
  analyst: { records: 'none', directory: false, writes: {}, audit: false, operations: ['export'] },
};
