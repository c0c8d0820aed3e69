import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bundle, Immunization, Resource } from '@medplum/fhirtypes';
import type { AccessClaims } from '../../src/auth/access-claims.ts';
import { PORTAL_USER_SYSTEM, REPORTING_ORG_SYSTEM } from '../../src/auth/policy.ts';
import { buildImmunization, buildPatient, unique } from '../helpers/builders.ts';
import { request, testRegistry, type Res } from '../helpers/registry.ts';
import { tokenFor } from '../helpers/tokens.ts';

after(async () => (await testRegistry()).close());

type Claims = Omit<AccessClaims, 'expiresAt' | 'clientId'> & Partial<AccessClaims>;
const as = async (claims: Claims): Promise<Record<string, string>> => ({ authorization: `Bearer ${await tokenFor(claims)}` });
const ids = (res: Res): string[] => ((res.body as unknown as Bundle).entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`).sort();
const created = async (r: Resource): Promise<string> => {
  const res = await request('POST', `/fhir/${r.resourceType}`, r);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
};

describe('access control: registry roles x SMART scopes, enforced in the store', () => {
  const town = unique('Town');
  const otherTown = unique('Town');
  const family = unique('Fam');
  const guardian = unique('guardian');
  const thisYear = new Date().getUTCFullYear();
  let orgA = '', orgB = '', school = '';
  let self = '', minor = '', adultChild = '', elsewhere = '';
  let immMinor = '', immElsewhere = '', immSelf = '';
  const guardianOf: Record<string, string> = {};

  before(async () => {
    orgA = await created({ resourceType: 'Organization', name: 'Clinic A' } as Resource);
    orgB = await created({ resourceType: 'Organization', name: 'Clinic B' } as Resource);
    school = await created({ resourceType: 'Organization', name: 'School S' } as Resource);
    const addr = (city: string) => [{ city, state: 'CT' }];
    self = await created(buildPatient({ name: [{ family, given: ['Self'] }], address: addr(town), birthDate: '1985-03-01' }));
    minor = await created(buildPatient({ name: [{ family, given: ['Minor'] }], address: addr(town), birthDate: `${thisYear - 5}-01-10` }));
    adultChild = await created(buildPatient({ name: [{ family, given: ['Adult'] }], address: addr(town), birthDate: `${thisYear - 25}-01-10` }));
    elsewhere = await created(buildPatient({ name: [{ family, given: ['Other'] }], address: addr(otherTown), birthDate: `${thisYear - 4}-06-01` }));
    for (const child of [minor, adultChild]) {
      guardianOf[child] = await created({ resourceType: 'RelatedPerson', patient: { reference: `Patient/${child}` }, identifier: [{ system: PORTAL_USER_SYSTEM, value: guardian }], relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] }] } as Resource);
    }
    const tagged = (org: string) => ({ meta: { tag: [{ system: REPORTING_ORG_SYSTEM, code: org }] } });
    immMinor = await created({ ...buildImmunization(minor, { occurrenceDateTime: `${thisYear - 4}-01-10` }), ...tagged(orgA) });
    immElsewhere = await created({ ...buildImmunization(elsewhere, { occurrenceDateTime: `${thisYear - 3}-06-01` }), ...tagged(orgB) });
    immSelf = await created({ ...buildImmunization(self, { occurrenceDateTime: '2020-01-01' }), ...tagged(orgB) });
  });

  it('refuses the API without a valid token (401 + WWW-Authenticate) but serves the CapabilityStatement', async () => {
    const none = await request('GET', `/fhir/Patient/${self}`, undefined, { authorization: '' });
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer realm="fhir"/);
    assert.equal(none.body.resourceType, 'OperationOutcome');
    const bad = await request('GET', `/fhir/Patient/${self}`, undefined, { authorization: 'Bearer not.a.token' });
    assert.equal(bad.status, 401);
    assert.match(String(bad.headers['www-authenticate']), /error="invalid_token"/);
    const expired = await request('GET', `/fhir/Patient/${self}`, undefined, await as({ sub: 'x', role: 'state-admin', scopes: ['user/*.cruds'], expiresAt: Math.floor(Date.now() / 1000) - 10 }));
    assert.equal(expired.status, 401);
    assert.equal((await request('GET', '/fhir/metadata', undefined, { authorization: '' })).status, 200);
  });

  it('a guardian reaches their minor child, never an adult child or another patient, through every path', async () => {
    const h = await as({ sub: guardian, role: 'patient', scopes: ['user/*.rs'] });
    assert.deepEqual(ids(await request('GET', `/fhir/Patient?family=${family}`, undefined, h)), [`Patient/${minor}`]);
    assert.equal((await request('GET', `/fhir/Patient/${minor}`, undefined, h)).status, 200);
    for (const p of [adultChild, self, elsewhere]) assert.equal((await request('GET', `/fhir/Patient/${p}`, undefined, h)).status, 403, p);
    assert.equal((await request('GET', `/fhir/Immunization/${immElsewhere}`, undefined, h)).status, 403);
    assert.equal((await request('GET', `/fhir/Immunization/${immElsewhere}/_history`, undefined, h)).status, 403);
    assert.equal((await request('GET', `/fhir/Immunization/${immElsewhere}/_history/1`, undefined, h)).status, 403);
    assert.equal((await request('GET', `/fhir/Immunization/${immMinor}/_history`, undefined, h)).status, 200);
    assert.equal((await request('GET', '/fhir/Immunization/_history', undefined, h)).status, 403);
    // Searches, chains, includes and compartments only ever show the child's data.
    assert.deepEqual(ids(await request('GET', `/fhir/Immunization?patient.family=${family}`, undefined, h)), [`Immunization/${immMinor}`]);
    const inc = await request('GET', `/fhir/Immunization?patient.family=${family}&_include=Immunization:patient`, undefined, h);
    assert.deepEqual(ids(inc), [`Immunization/${immMinor}`, `Patient/${minor}`].sort());
    const rev = await request('GET', `/fhir/Patient?family=${family}&_revinclude=Immunization:patient`, undefined, h);
    assert.deepEqual(ids(rev), [`Immunization/${immMinor}`, `Patient/${minor}`].sort());
    const sys = await request('GET', `/fhir?_type=Patient,Immunization&_lastUpdated=ge2000-01-01&_count=1000`, undefined, h);
    assert.ok(ids(sys).every((r) => [`Immunization/${immMinor}`, `Patient/${minor}`].includes(r) || r.startsWith('Organization/')), ids(sys).join());
    assert.equal((await request('GET', `/fhir/Patient/${elsewhere}/Immunization`, undefined, h)).status, 403);
    assert.equal((await request('GET', `/fhir/Patient/${minor}/Immunization`, undefined, h)).status, 200);
    // Read-only: no writes, and a batch answers per entry.
    assert.equal((await request('POST', '/fhir/Immunization', buildImmunization(minor), h)).status, 403);
    const batch = await request('POST', '/fhir', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [{ request: { method: 'GET', url: `Patient/${minor}` } }, { request: { method: 'GET', url: `Patient/${elsewhere}` } }],
    }, h);
    assert.deepEqual((batch.body as unknown as Bundle).entry?.map((e) => e.response?.status.slice(0, 3)), ['200', '403']);
    assert.equal((await request('GET', `/fhir/Patient/${elsewhere}/$immds-forecast`, undefined, h)).status, 403);
  });

  it('a patient reaches their own record; patient/ scopes stop at the launch patient', async () => {
    const own = await as({ sub: unique('pat'), role: 'patient', scopes: ['user/*.rs'], fhirUser: `Patient/${self}` });
    assert.deepEqual(ids(await request('GET', `/fhir/Patient?family=${family}`, undefined, own)), [`Patient/${self}`]);
    assert.deepEqual(ids(await request('GET', `/fhir/Immunization?patient.family=${family}`, undefined, own)), [`Immunization/${immSelf}`]);
    // v1 scopes, launch context = the minor child: only the child, not the guardian's other links.
    const launch = await as({ sub: guardian, role: 'patient', scopes: ['patient/*.read', 'launch/patient'], patient: minor });
    assert.equal((await request('GET', `/fhir/Patient/${minor}`, undefined, launch)).status, 200);
    assert.deepEqual(ids(await request('GET', `/fhir/Immunization?patient.family=${family}`, undefined, launch)), [`Immunization/${immMinor}`]);
    // As this server's picker grants it: fhirUser = the guardian's RelatedPerson of the chosen child.
    const picked = await as({ sub: unique('parent'), role: 'patient', scopes: ['patient/*.rs'], patient: minor, fhirUser: `RelatedPerson/${guardianOf[minor]}` });
    assert.equal((await request('GET', `/fhir/Patient/${minor}`, undefined, picked)).status, 200);
    assert.deepEqual(ids(await request('GET', `/fhir/Immunization?patient=${minor}`, undefined, picked)), [`Immunization/${immMinor}`]);
    const adult = await as({ sub: unique('parent'), role: 'patient', scopes: ['patient/*.rs'], patient: adultChild, fhirUser: `RelatedPerson/${guardianOf[adultChild]}` });
    assert.equal((await request('GET', `/fhir/Patient/${adultChild}`, undefined, adult)).status, 403);
    // A launch patient outside the user's reach is still refused: the role rule holds under patient/ scopes.
    const forged = await as({ sub: guardian, role: 'patient', scopes: ['patient/*.read'], patient: adultChild });
    assert.equal((await request('GET', `/fhir/Patient/${adultChild}`, undefined, forged)).status, 403);
  });

  it('clinic staff read statewide, write as their clinic, and cannot touch another clinic\'s doses', async () => {
    const h = await as({ sub: unique('nurse'), role: 'clinic-staff', scopes: ['user/*.cruds'], organization: orgA });
    assert.equal((await request('GET', `/fhir/Patient/${elsewhere}`, undefined, h)).status, 200);
    const made = await request('POST', '/fhir/Immunization', buildImmunization(elsewhere, { occurrenceDateTime: `${thisYear - 3}-07-01` }), h);
    assert.equal(made.status, 201);
    assert.deepEqual((made.body as unknown as Immunization).meta?.tag?.find((t) => t.system === REPORTING_ORG_SYSTEM)?.code, orgA);
    const mine = (await request('GET', `/fhir/Immunization/${immMinor}`, undefined, h)).body as unknown as Immunization;
    assert.equal((await request('PUT', `/fhir/Immunization/${immMinor}`, { ...mine, lotNumber: 'UPDATED1' }, h)).status, 200);
    const theirs = (await request('GET', `/fhir/Immunization/${immElsewhere}`, undefined, h)).body as unknown as Immunization;
    assert.equal((await request('PUT', `/fhir/Immunization/${immElsewhere}`, { ...theirs, lotNumber: 'HIJACK' }, h)).status, 403);
    assert.equal((await request('PATCH', `/fhir/Immunization/${immElsewhere}`, [{ op: 'replace', path: '/lotNumber', value: 'X' }], { ...h, 'content-type': 'application/json-patch+json' })).status, 403);
    assert.equal((await request('DELETE', `/fhir/Immunization/${immMinor}`, undefined, h)).status, 403);
    assert.equal((await request('GET', '/fhir/AuditEvent', undefined, h)).status, 403);
    // A transaction that touches another clinic's dose is refused as a whole.
    const tx = await request('POST', '/fhir', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0b5d1c56-7d6b-4d8e-9b0a-3b8f2f7c1a11', resource: buildImmunization(minor), request: { method: 'POST', url: 'Immunization' } },
        { resource: { ...theirs, lotNumber: 'HIJACK' }, request: { method: 'PUT', url: `Immunization/${immElsewhere}` } },
      ],
    }, h);
    assert.equal(tx.status, 403);
    // Scopes narrow the role: a Patient-only token cannot search immunizations.
    const narrow = await as({ sub: unique('nurse'), role: 'clinic-staff', scopes: ['user/Patient.rs'], organization: orgA });
    assert.equal((await request('GET', `/fhir/Immunization?patient=${minor}`, undefined, narrow)).status, 403);
    assert.equal((await request('GET', `/fhir/Patient/${minor}`, undefined, narrow)).status, 200);
  });

  it('health departments see only patients living in their jurisdiction, read-only', async () => {
    const h = await as({ sub: unique('lhd'), role: 'health-department', scopes: ['user/*.rs'], jurisdiction: town });
    assert.deepEqual(ids(await request('GET', `/fhir/Patient?family=${family}`, undefined, h)), [`Patient/${self}`, `Patient/${minor}`, `Patient/${adultChild}`].sort());
    assert.equal((await request('GET', `/fhir/Immunization/${immElsewhere}`, undefined, h)).status, 403);
    assert.equal((await request('GET', `/fhir/Immunization/${immMinor}`, undefined, h)).status, 200);
    const w = await as({ sub: unique('lhd'), role: 'health-department', scopes: ['user/*.cruds'], jurisdiction: town });
    assert.equal((await request('POST', '/fhir/Patient', buildPatient(), w)).status, 403);
  });

  it('school nurses read records and manage only their school\'s rosters; coordinators their clinic\'s locations', async () => {
    const h = await as({ sub: unique('sn'), role: 'school-nurse', scopes: ['user/*.cruds'], organization: school });
    assert.equal((await request('GET', `/fhir/Patient/${minor}`, undefined, h)).status, 200);
    assert.equal((await request('POST', '/fhir/Patient', buildPatient(), h)).status, 403);
    const roster = (org: string) => ({ resourceType: 'Group', type: 'person', actual: true, managingEntity: { reference: `Organization/${org}` }, member: [{ entity: { reference: `Patient/${minor}` } }] });
    const g = await request('POST', '/fhir/Group', roster(school), h);
    assert.equal(g.status, 201);
    assert.equal((await request('POST', '/fhir/Group', roster(orgA), h)).status, 403);
    assert.equal((await request('DELETE', `/fhir/Group/${g.body.id}`, undefined, h)).status, 204);
    const vc = await as({ sub: unique('vc'), role: 'vaccine-coordinator', scopes: ['user/*.cruds'], organization: orgA });
    assert.equal((await request('POST', '/fhir/Location', { resourceType: 'Location', name: 'Clinic A annex', managingOrganization: { reference: `Organization/${orgA}` } }, vc)).status, 201);
    assert.equal((await request('POST', '/fhir/Location', { resourceType: 'Location', name: 'Not mine', managingOrganization: { reference: `Organization/${orgB}` } }, vc)).status, 403);
  });

  it('read-only look-up, analysts, EHR systems and the audit trail', async () => {
    const look = await as({ sub: unique('md'), role: 'provider-lookup', scopes: ['user/*.cruds'] });
    assert.equal((await request('GET', `/fhir/Immunization?patient=${minor}`, undefined, look)).status, 200);
    assert.equal((await request('GET', `/fhir/Patient/${minor}/$immds-forecast`, undefined, look)).status, 200);
    assert.equal((await request('POST', '/fhir/Patient', buildPatient(), look)).status, 403);
    const analyst = await as({ sub: 'analytics', role: 'analyst', scopes: ['system/*.rs'] });
    assert.equal((await request('GET', '/fhir/Patient', undefined, analyst)).status, 403);
    const ehrRead = await as({ sub: 'ehr1', role: 'ehr-system', scopes: ['system/*.rs'], organization: orgB });
    assert.equal((await request('GET', `/fhir/Immunization?patient=${minor}`, undefined, ehrRead)).status, 200);
    assert.equal((await request('POST', '/fhir/Immunization', buildImmunization(minor), ehrRead)).status, 403);
    const ehr = await as({ sub: 'ehr1', role: 'ehr-system', scopes: ['system/Patient.cruds', 'system/Immunization.cruds'], organization: orgB });
    const made = await request('POST', '/fhir/Immunization', buildImmunization(minor, { occurrenceDateTime: `${thisYear - 3}-01-01` }), ehr);
    assert.equal(made.status, 201);
    assert.equal((made.body as unknown as Immunization).meta?.tag?.[0]?.code, orgB);
    const admin = await as({ sub: unique('admin'), role: 'state-admin', scopes: ['user/*.cruds'] });
    await (await testRegistry()).core.services.audit?.flush(); // audit records are written in batches
    const audit = await request('GET', `/fhir/AuditEvent?_count=5`, undefined, admin);
    assert.equal(audit.status, 200);
    const one = (audit.body as unknown as Bundle).entry?.[0]?.resource;
    assert.ok(one);
    assert.ok([403, 405].includes((await request('DELETE', `/fhir/AuditEvent/${one.id}`, undefined, admin)).status));
    assert.ok([403, 405].includes((await request('PUT', `/fhir/AuditEvent/${one.id}`, one, admin)).status));
  });
});
