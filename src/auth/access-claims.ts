/** Registry roles (state IIS access table). */
export type Role = 'clinic-staff' | 'vaccine-coordinator' | 'provider-lookup' | 'school-nurse' | 'health-department' | 'state-admin' | 'patient' | 'ehr-system' | 'analyst';
/** What a verified access token says about its bearer. */
export interface AccessClaims {
  sub: string;            // user name (users) or client id (backend services)
  clientId: string;
  scopes: string[];       // granted SMART scopes, v1 or v2 syntax, as granted
  role: Role;
  organization?: string;  // Organization id (clinic, school, EHR facility)
  jurisdiction?: string;  // health-department jurisdiction code, matched against Patient.address.city (the demo data's town names, e.g. 'Hartford')
  fhirUser?: string;      // 'Practitioner/x' | 'Patient/x' | 'RelatedPerson/x' | 'Person/x'
  patient?: string;       // SMART launch context patient id (patient picker / EHR launch)
  expiresAt: number;      // epoch seconds
}

/** Every role, for validating CLI and database input. */
export const ROLES: readonly Role[] = ['clinic-staff', 'vaccine-coordinator', 'provider-lookup', 'school-nurse', 'health-department', 'state-admin', 'patient', 'ehr-system', 'analyst'];

/**
 * Narrows a string to a Role.
 * @param value - the candidate.
 * @returns true when it is one of {@link ROLES}.
 */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
