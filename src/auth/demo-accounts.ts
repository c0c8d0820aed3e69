import { exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Organization, Patient, RelatedPerson, Resource } from '@medplum/fhirtypes';
import type { Db } from '../store/db.ts';
import { AuthStore, type UserRecord } from '../store/auth-store.ts';
import type { Role } from './access-claims.ts';
import { hashPassword } from './passwords.ts';
import { isMinor } from './patient-choices.ts';

/** Password of every demo user (documented in README.md; demo data only). */
export const DEMO_PASSWORD = 'demo-password-2024';
/** Id of the demo backend-services client. */
export const DEMO_BACKEND_CLIENT = 'demo-backend';
/** File (in DATA_DIR) the demo backend client's private key is written to. */
export const DEMO_BACKEND_KEY_FILE = 'demo-backend-client.private.jwk.json';
/** Id and redirect URI of the demo public app. */
export const DEMO_PUBLIC_APP = { id: 'demo-app', redirectUri: 'http://localhost:9090/callback' };
/** The demo health department's jurisdiction: a town matched against Patient.address.city. */
export const DEMO_JURISDICTION = 'Hartford';

const orgType = (o: Organization): string | undefined => o.type?.[0]?.coding?.[0]?.code;

/** Pairs each created resource of the seed transaction with the id the server gave it. */
function createdResources(request: Bundle, response: Bundle): Resource[] {
  return (request.entry ?? []).flatMap((e, i) => {
    const id = response.entry?.[i]?.response?.location?.split('/')[1];
    return e.resource && id ? [{ ...e.resource, id } as Resource] : [];
  });
}

/**
 * Creates one demo user per role and the demo clients, linked to the seeded resources: staff to the first clinic
 * (and its first Practitioner), the school nurse to a school, the health department to the jurisdiction
 * {@link DEMO_JURISDICTION}, a guardian to the RelatedPersons of one parent (several children when the data has
 * twins), an adult patient to their own Patient. The backend client's private key is written to
 * `DATA_DIR/demo-backend-client.private.jwk.json` (mode 0600).
 * @param db - the database.
 * @param dataDir - where to write the backend client's private key.
 * @param request - the seed transaction. @param response - its response (ids by entry position).
 * @returns the user names created.
 */
export async function seedDemoAccounts(db: Db, dataDir: string, request: Bundle, response: Bundle): Promise<string[]> {
  const created = createdResources(request, response);
  const ofType = <T extends Resource>(t: T['resourceType']): T[] => created.filter((r): r is T => r.resourceType === t);
  const orgs = ofType<Organization>('Organization');
  const clinics = orgs.filter((o) => orgType(o) === 'prov');
  const school = orgs.find((o) => orgType(o) === 'edu');
  const practitioner = created.find((r) => r.resourceType === 'Practitioner');
  const patients = ofType<Patient>('Patient');
  const adult = patients.find((p) => !isMinor(p.birthDate));
  // Twins share one guardian (same name, one RelatedPerson per child): prefer such a parent for the picker demo.
  const guardians = new Map<string, string[]>();
  for (const rp of ofType<RelatedPerson>('RelatedPerson')) {
    const key = JSON.stringify([rp.name, rp.address]);
    guardians.set(key, [...(guardians.get(key) ?? []), `RelatedPerson/${rp.id}`]);
  }
  const guardianRefs = [...guardians.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const clinic = clinics[0]?.id;
  const users: (Omit<UserRecord, 'passwordHash'> & { role: Role })[] = [
    { username: 'clinic.staff', role: 'clinic-staff', organization: clinic, fhirUser: practitioner ? [`Practitioner/${practitioner.id}`] : [] },
    { username: 'vaccine.coordinator', role: 'vaccine-coordinator', organization: clinic, fhirUser: [] },
    { username: 'provider.lookup', role: 'provider-lookup', organization: clinics[1]?.id ?? clinic, fhirUser: [] },
    { username: 'school.nurse', role: 'school-nurse', organization: school?.id, fhirUser: [] },
    { username: 'health.department', role: 'health-department', jurisdiction: DEMO_JURISDICTION, fhirUser: [] },
    { username: 'state.admin', role: 'state-admin', fhirUser: [] },
    { username: 'guardian', role: 'patient', fhirUser: guardianRefs },
    { username: 'adult.patient', role: 'patient', fhirUser: adult ? [`Patient/${adult.id}`] : [] },
    { username: 'ehr.system', role: 'ehr-system', organization: clinic, fhirUser: [] },
    { username: 'analyst', role: 'analyst', fhirUser: [] },
  ];
  const store = new AuthStore(db);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const u of users) {
    const { organization, ...rest } = u;
    await store.upsertUser({ ...rest, ...(organization ? { organization } : {}), passwordHash });
  }
  const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  await store.upsertClient({ id: DEMO_BACKEND_CLIENT, type: 'backend', role: 'ehr-system', ...(clinic ? { organization: clinic } : {}), redirectUris: [], jwks: { keys: [{ ...pub, kid, alg: 'ES384' }] } });
  await store.upsertClient({ id: DEMO_PUBLIC_APP.id, type: 'public', role: 'clinic-staff', redirectUris: [DEMO_PUBLIC_APP.redirectUri] });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, DEMO_BACKEND_KEY_FILE), JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES384' }, null, 2), { mode: 0o600 });
  return users.map((u) => u.username);
}
