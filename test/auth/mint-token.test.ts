import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testRegistry } from '../helpers/registry.ts';
import { mintAccessToken } from '../helpers/auth-tokens.ts';

after(async () => (await testRegistry()).close());

describe('mintAccessToken (test helper for the FHIR-side policy)', () => {
  it('mints user and backend tokens that verify with their claims', async () => {
    const registry = await testRegistry();
    const token = await mintAccessToken(registry, { role: 'school-nurse', scopes: ['user/Immunization.rs'], organization: 'school-1', fhirUser: 'Practitioner/n1', patient: 'p1' });
    const c = await registry.auth.verifyAccessToken(token);
    assert.deepEqual([c.role, c.organization, c.fhirUser, c.patient, c.scopes], ['school-nurse', 'school-1', 'Practitioner/n1', 'p1', ['user/Immunization.rs']]);
    const svc = await mintAccessToken(registry, { role: 'analyst', scopes: ['system/*.rs'], backend: true });
    const s = await registry.auth.verifyAccessToken(svc);
    assert.deepEqual([s.role, s.scopes, s.sub === s.clientId], ['analyst', ['system/*.rs'], true]);
    const juris = await mintAccessToken(registry, { role: 'health-department', scopes: ['user/*.rs'], jurisdiction: 'Hartford' });
    assert.equal((await registry.auth.verifyAccessToken(juris)).jurisdiction, 'Hartford');
  });
});
