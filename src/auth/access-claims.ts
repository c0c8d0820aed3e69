/** Registry roles (state IIS access table). */
export type Role = 'clinic-staff' | 'vaccine-coordinator' | 'provider-lookup' | 'school-nurse' | 'health-department' | 'state-admin' | 'patient' | 'ehr-system' | 'analyst';
/** What a verified access token says about its bearer. */
export interface AccessClaims {
  sub: string;            // user name (users) or client id (backend services)
  clientId: string;
  scopes: string[];       // granted SMART scopes, v1 or v2 syntax, as granted
  role: Role;
  organization?: string;  // Organization id (clinic, school, EHR facility)
  jurisdiction?: string;  // health-department jurisdiction code (e.g. a county/town code matched against Patient.address.district or .city — document which)
  fhirUser?: string;      // 'Practitioner/x' | 'Patient/x' | 'RelatedPerson/x' | 'Person/x'
  patient?: string;       // SMART launch context patient id (patient picker / EHR launch)
  expiresAt: number;      // epoch seconds
}
