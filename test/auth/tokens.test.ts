import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { exportJWK, generateKeyPair } from 'jose';
import { hashPassword } from '../../src/auth/passwords.ts';
import { REDIRECT, authorizeInBrowser, discover } from './flow.ts';
import { Browser, addClient, addPatient, addUser, formAction, startLiveRegistry, unique, type LiveRegistry } from './helpers.ts';

const SECRET = 'app-secret-app-secret';
let live: LiveRegistry;

before(async () => {
  live = await startLiveRegistry();
});
after(async () => {
  await live?.close();
});

/** A staff user and a confidential app; returns tokens of a completed authorization. */
async function staffTokens(scope: string, extra: Record<string, string> = {}, choose?: Record<string, string>) {
  const id = unique();
  await addUser(live, { username: `nurse-${id}`, role: 'clinic-staff', organization: 'org-1', fhirUser: ['Practitioner/p1'] });
  await addClient(live, { id: `app-${id}`, type: 'confidential', role: 'clinic-staff', redirectUris: [REDIRECT], secretHash: await hashPassword(SECRET) });
  const config = await discover(live, `app-${id}`, oidc.ClientSecretBasic(SECRET));
  const verifier = oidc.randomPKCECodeVerifier();
  const { callback } = await authorizeInBrowser(live, config, {
    scope, state: 'st', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  }, `nurse-${id}`, 'correct horse battery', choose ? () => choose : undefined);
  assert.ok(callback, 'redirected back to the app');
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 'st' });
  return { tokens, config, id };
}

describe('tokens', () => {
  it('refresh tokens only with offline_access; refreshing keeps role and patient', async () => {
    const patient = await addPatient(live, 40);
    const { tokens, config } = await staffTokens('openid fhirUser offline_access launch/patient user/*.rs', {}, { patient });
    assert.ok(tokens.refresh_token);
    assert.ok(String(tokens.scope).split(' ').includes('offline_access'));
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.patient, patient);
    const claims = await live.registry.auth.verifyAccessToken(refreshed.access_token);
    assert.deepEqual([claims.role, claims.organization, claims.patient, claims.fhirUser], ['clinic-staff', 'org-1', patient, 'Practitioner/p1']);
    assert.deepEqual(claims.scopes, ['user/*.rs']);
  });

  it('revocation: verifyAccessToken fails afterwards; introspection reports active, then inactive', async () => {
    const { tokens, config } = await staffTokens('openid user/Immunization.cruds');
    const before = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.equal(before.active, true);
    assert.equal(before.scope, 'user/Immunization.cruds');
    assert.equal((before as Record<string, unknown>).role, 'clinic-staff');
    await live.registry.auth.verifyAccessToken(tokens.access_token);
    await oidc.tokenRevocation(config, tokens.access_token);
    await assert.rejects(live.registry.auth.verifyAccessToken(tokens.access_token), /revoked/);
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
  });

  it('verified claims are reused for a few seconds, then the token is looked up again', async () => {
    const { tokens } = await staffTokens('openid user/Immunization.rs');
    const claims = await live.registry.auth.verifyAccessToken(tokens.access_token);
    // Deleted behind the server's back (as another node's revocation would): still honoured from memory ...
    await live.registry.db.query(`DELETE FROM oidc_payload WHERE model = 'AccessToken' AND id = $1`, [tokens.access_token]);
    assert.deepEqual(await live.registry.auth.verifyAccessToken(tokens.access_token), claims);
    // ... until the interval ends (forgetting is what the interval's end does).
    live.registry.auth.forgetVerifiedTokens();
    await assert.rejects(live.registry.auth.verifyAccessToken(tokens.access_token), /unknown/);
  });

  it('removing a user or a client ends the tokens issued to it', async () => {
    const { tokens, id } = await staffTokens('openid user/Immunization.rs');
    await live.registry.auth.verifyAccessToken(tokens.access_token);
    assert.equal(await live.registry.auth.store.deleteUser(`nurse-${id}`), true);
    live.registry.auth.forgetVerifiedTokens();
    await assert.rejects(live.registry.auth.verifyAccessToken(tokens.access_token), /unknown/);
    const other = await staffTokens('openid user/Immunization.rs');
    await live.registry.auth.verifyAccessToken(other.tokens.access_token);
    assert.equal(await live.registry.auth.store.deleteClient(`app-${other.id}`), true);
    live.registry.auth.forgetVerifiedTokens();
    await assert.rejects(live.registry.auth.verifyAccessToken(other.tokens.access_token), /unknown/);
  });

  it('an expired access token fails verification', async () => {
    const { tokens } = await staffTokens('user/*.rs');
    await live.registry.db.query(`UPDATE oidc_payload SET payload = jsonb_set(payload, '{exp}', to_jsonb(1)) WHERE model = 'AccessToken'`);
    await assert.rejects(live.registry.auth.verifyAccessToken(tokens.access_token), /expired/);
    await assert.rejects(live.registry.auth.verifyAccessToken('not-a-token'), /unknown/);
  });

  it('EHR launch: a staff token creates a launch context; the app gets that patient', async () => {
    const patient = await addPatient(live, 8);
    const { tokens: ehr } = await staffTokens('user/*.rs');
    const noAuth = await fetch(`${live.base}/auth/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ patient }) });
    assert.equal(noAuth.status, 401);
    const res = await fetch(`${live.base}/auth/launch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ehr.access_token}` }, body: JSON.stringify({ patient }) });
    assert.equal(res.status, 201);
    const { launch, iss } = (await res.json()) as { launch: string; iss: string };
    assert.equal(iss, live.fhirBase);
    const { tokens } = await staffTokens('openid fhirUser launch patient/Immunization.rs', { launch });
    assert.equal(tokens.patient, patient);
    assert.equal((await live.registry.auth.verifyAccessToken(tokens.access_token)).patient, patient);
  });

  it('a wrong aud is refused', async () => {
    const id = unique();
    await addClient(live, { id: `app-${id}`, type: 'public', role: 'patient', redirectUris: [REDIRECT] });
    const url = `${live.issuer}/authorize?client_id=app-${id}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=patient%2F*.rs&aud=${encodeURIComponent('https://evil.example/fhir')}`;
    assert.equal((await fetch(url, { redirect: 'manual' })).status, 400);
  });

  it('locks an account after 5 failed sign-ins for 15 minutes; unlock via the store clears it', async () => {
    const id = unique();
    await addUser(live, { username: `locky-${id}`, role: 'analyst', fhirUser: [] });
    await addClient(live, { id: `app-${id}`, type: 'public', role: 'analyst', redirectUris: [REDIRECT] });
    const config = await discover(live, `app-${id}`);
    const browser = new Browser();
    const start = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'user/*.rs', code_challenge: await oidc.calculatePKCECodeChallenge('x'.repeat(43)), code_challenge_method: 'S256', state: 'q' });
    const step = await browser.follow(start.href, REDIRECT);
    const action = formAction(await step.res.text(), step.url);
    for (let i = 0; i < 5; i++) {
      const r = await browser.send(action, { username: `locky-${id}`, password: 'wrong password' });
      assert.equal(r.status, 401);
      const page = await r.text();
      if (i < 4) assert.match(page, /wrong/);
      else assert.match(page, /locked/);
    }
    const right = await browser.send(action, { username: `locky-${id}`, password: 'correct horse battery' });
    assert.equal(right.status, 401);
    assert.match(await right.text(), /locked for 15 minutes/);
    await live.registry.auth.store.clearLoginFailures(`locky-${id}`);
    const after = await browser.send(action, { username: `locky-${id}`, password: 'correct horse battery' });
    assert.equal(after.status, 303);
  });

  it('a confidential asymmetric app (private_key_jwt, RS384) completes the code flow', async () => {
    const id = unique();
    const { privateKey, publicKey } = await generateKeyPair('RS384');
    await addUser(live, { username: `doc-${id}`, role: 'clinic-staff', organization: 'org-2', fhirUser: [] });
    await addClient(live, { id: `app-${id}`, type: 'confidential', role: 'clinic-staff', redirectUris: [REDIRECT], jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'a1', alg: 'RS384' }] } });
    const config = await discover(live, `app-${id}`, oidc.PrivateKeyJwt({ key: privateKey, kid: 'a1' }));
    const verifier = oidc.randomPKCECodeVerifier();
    const { callback } = await authorizeInBrowser(live, config, { scope: 'user/*.rs', state: 'pk', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }, `doc-${id}`, 'correct horse battery');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 'pk' });
    assert.equal((await live.registry.auth.verifyAccessToken(tokens.access_token)).organization, 'org-2');
  });

  it('serves the SMART configuration at the root and under /fhir', async () => {
    for (const path of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
      const doc = (await (await fetch(`${live.base}${path}`)).json()) as Record<string, unknown>;
      assert.equal(doc.issuer, live.issuer);
      assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
      assert.ok((doc.token_endpoint_auth_methods_supported as string[]).includes('private_key_jwt'));
      assert.ok((doc.capabilities as string[]).includes('permission-v2'));
    }
    const jwks = (await (await fetch(`${live.issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    assert.ok(jwks.keys.length >= 1 && jwks.keys.every((k) => !('d' in k)));
  });
});
