import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import * as oidc from 'openid-client';
import { addClient, startLiveRegistry, unique, type LiveRegistry } from './helpers.ts';

let live: LiveRegistry;
before(async () => {
  live = await startLiveRegistry();
});
after(async () => {
  await live?.close();
});

async function backendClient(alg: 'RS384' | 'ES384'): Promise<{ id: string; key: CryptoKey; kid: string }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `k-${unique()}`;
  const id = `svc-${unique()}`;
  await addClient(live, { id, type: 'backend', role: 'ehr-system', organization: 'org-ehr', redirectUris: [], jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg }] } });
  return { id, key: privateKey, kid };
}

async function assertion(c: { id: string; key: CryptoKey; kid: string }, alg: string, opts: { jti?: string; expIn?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({}).setProtectedHeader({ alg, kid: c.kid, typ: 'JWT' }).setIssuer(c.id).setSubject(c.id)
    .setAudience(`${live.issuer}/token`).setJti(opts.jti ?? randomUUID()).setIssuedAt(now).setExpirationTime(now + (opts.expIn ?? 240)).sign(c.key);
}

async function tokenRequest(clientAssertion: string, scope: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${live.issuer}/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: clientAssertion }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('SMART Backend Services (client_credentials + private_key_jwt)', () => {
  for (const alg of ['RS384', 'ES384'] as const) {
    it(`issues system/ scopes only to a ${alg} client`, async () => {
      const c = await backendClient(alg);
      const { status, body } = await tokenRequest(await assertion(c, alg), 'system/Immunization.rs system/Patient.read user/*.rs patient/*.rs');
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.token_type, 'Bearer');
      assert.deepEqual(String(body.scope).split(' ').sort(), ['system/Immunization.rs', 'system/Patient.read']);
      assert.equal(body.refresh_token, undefined);
      const claims = await live.registry.auth.verifyAccessToken(String(body.access_token));
      assert.deepEqual([claims.sub, claims.clientId, claims.role, claims.organization], [c.id, c.id, 'ehr-system', 'org-ehr']);
    });
  }

  it('rejects a replayed jti', async () => {
    const c = await backendClient('ES384');
    const jwt = await assertion(c, 'ES384');
    assert.equal((await tokenRequest(jwt, 'system/*.rs')).status, 200);
    const again = await tokenRequest(jwt, 'system/*.rs');
    assert.equal(again.status, 401);
    assert.equal(again.body.error, 'invalid_client');
  });

  it('rejects an assertion that expires more than five minutes ahead', async () => {
    const c = await backendClient('RS384');
    const far = await tokenRequest(await assertion(c, 'RS384', { expIn: 600 }), 'system/*.rs');
    assert.equal(far.status, 401);
    assert.equal(far.body.error, 'invalid_client');
  });

  it('rejects an assertion signed with another key and RS256', async () => {
    const c = await backendClient('RS384');
    const other = await generateKeyPair('RS384');
    assert.equal((await tokenRequest(await assertion({ ...c, key: other.privateKey }, 'RS384'), 'system/*.rs')).status, 401);
    const rs256 = await generateKeyPair('RS256');
    assert.equal((await tokenRequest(await assertion({ ...c, key: rs256.privateKey }, 'RS256'), 'system/*.rs')).status, 401);
  });

  it('works through openid-client PrivateKeyJwt too, and the token can be revoked', async () => {
    const c = await backendClient('ES384');
    const config = await oidc.discovery(new URL(live.issuer), c.id, undefined, oidc.PrivateKeyJwt({ key: c.key, kid: c.kid }), { execute: [oidc.allowInsecureRequests] });
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'system/*.rs' });
    assert.equal((await live.registry.auth.verifyAccessToken(tokens.access_token)).role, 'ehr-system');
    await oidc.tokenRevocation(config, tokens.access_token);
    await assert.rejects(live.registry.auth.verifyAccessToken(tokens.access_token));
  });

  it('accepts a client registered with a jwks_uri', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES384');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'remote-1', alg: 'ES384' }] });
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const id = `svc-${unique()}`;
      await addClient(live, { id, type: 'backend', role: 'analyst', redirectUris: [], jwksUri: `http://127.0.0.1:${port}/jwks.json` });
      const { status, body } = await tokenRequest(await assertion({ id, key: privateKey, kid: 'remote-1' }, 'ES384'), 'system/Immunization.rs');
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal((await live.registry.auth.verifyAccessToken(String(body.access_token))).role, 'analyst');
    } finally {
      server.close();
    }
  });
});
