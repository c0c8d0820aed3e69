import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, importJWK, type JWK } from 'jose';
import { seedDemoDataIfEmpty } from '../../src/registry/demo/seed.ts';
import { DEMO_BACKEND_CLIENT, DEMO_BACKEND_KEY_FILE, DEMO_PASSWORD } from '../../src/auth/demo-accounts.ts';
import { patientOptions } from '../../src/auth/patient-choices.ts';
import { signIn } from '../../src/auth/sign-in.ts';
import { ROLES } from '../../src/auth/access-claims.ts';
import { startLiveRegistry, type LiveRegistry } from './helpers.ts';
import { freshPostgresDatabase } from '../helpers/fresh-database.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'iis-demo-'));
let live: LiveRegistry;
let fresh: Awaited<ReturnType<typeof freshPostgresDatabase>>;
before(async () => {
  // The demo data set loads only into an empty registry: on PostgreSQL, a database of its own.
  fresh = await freshPostgresDatabase();
  live = await startLiveRegistry({ DATA_DIR: dataDir, ...(fresh ? { DATABASE_URL: fresh.url } : {}) });
  assert.ok((await seedDemoDataIfEmpty(live.registry.core)) > 0);
});
after(async () => {
  await live?.close();
  await fresh?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo accounts', () => {
  it('has one user per role, signing in with the documented password', async () => {
    const { store } = live.registry.auth;
    const names = ['clinic.staff', 'vaccine.coordinator', 'provider.lookup', 'school.nurse', 'health.department', 'state.admin', 'guardian', 'adult.patient', 'ehr.system', 'analyst'];
    const roles = new Set<string>();
    for (const n of names) {
      const r = await signIn(store, n, DEMO_PASSWORD);
      assert.ok(r.ok, n);
      if (r.ok) roles.add(r.user.role);
    }
    assert.deepEqual([...roles].sort(), [...ROLES].sort());
    const staff = await store.findUser('clinic.staff');
    assert.ok(staff?.organization && staff.fhirUser[0]?.startsWith('Practitioner/'));
    await live.registry.repo.readResource('Organization', staff.organization);
  });

  it('the guardian reaches two or more minor children in the picker', async () => {
    const guardian = await live.registry.auth.store.findUser('guardian');
    assert.ok(guardian);
    const options = await patientOptions(guardian, live.registry.repo);
    assert.ok(options.length >= 2, `options: ${options.length}`);
    assert.ok(options.every((o) => o.fhirUser.startsWith('RelatedPerson/')));
  });

  it('the demo backend client gets a token with the private key the seed wrote', async () => {
    const file = join(dataDir, DEMO_BACKEND_KEY_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK & { kid: string };
    const key = await importJWK(jwk, 'ES384');
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'ES384', kid: jwk.kid }).setIssuer(DEMO_BACKEND_CLIENT).setSubject(DEMO_BACKEND_CLIENT)
      .setAudience(`${live.issuer}/token`).setJti(randomUUID()).setIssuedAt(now).setExpirationTime(now + 120).sign(key);
    const res = await fetch(`${live.issuer}/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.rs', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
    });
    const body = (await res.json()) as { access_token: string };
    assert.equal(res.status, 200);
    const claims = await live.registry.auth.verifyAccessToken(body.access_token);
    assert.equal(claims.role, 'ehr-system');
    assert.ok(claims.organization);
  });
});
