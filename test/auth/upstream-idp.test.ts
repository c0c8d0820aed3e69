import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Provider, { type Configuration } from 'oidc-provider';
import * as oidc from 'openid-client';
import { REDIRECT, discover } from './flow.ts';
import { Browser, addClient, addUser, formAction, freePort, startLiveRegistry, unique, type LiveRegistry } from './helpers.ts';

let live: LiveRegistry;
let upstreamServer: Server;
let upstreamIssuer: string;

/** A second oidc-provider instance as the upstream identity provider, with its development sign-in pages. */
async function startUpstream(redirectUri: string): Promise<void> {
  const port = await freePort();
  upstreamIssuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(upstreamIssuer, {
    clients: [{ client_id: 'iis', client_secret: 'upstream-secret-upstream', redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub, email: `${sub}@idp.example`, email_verified: true }) }),
    cookies: { keys: ['upstream-test-cookie-key'] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  } as unknown as Configuration);
  upstreamServer = createServer(provider.callback());
  await new Promise<void>((r) => upstreamServer.listen(port, '127.0.0.1', r));
}

before(async () => {
  const port = await freePort();
  await startUpstream(`http://127.0.0.1:${port}/auth/upstream/callback`);
  live = await startLiveRegistry({
    PORT: String(port),
    UPSTREAM_OIDC_ISSUER: upstreamIssuer, UPSTREAM_OIDC_CLIENT_ID: 'iis', UPSTREAM_OIDC_CLIENT_SECRET: 'upstream-secret-upstream', UPSTREAM_OIDC_NAME: 'Test IdP',
  });
});
after(async () => {
  await live?.close();
  upstreamServer?.close();
});

/** Fills the upstream's development pages (login, then consent) until the flow leaves the upstream. */
async function throughUpstream(browser: Browser, startUrl: string, login: string): Promise<{ url: string; res: Response }> {
  let step = await browser.follow(startUrl, upstreamIssuer.replace(/^/, '\u0000'));
  for (let i = 0; i < 4 && step.url.startsWith(upstreamIssuer); i++) {
    const html = await step.res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    assert.ok(action, html.slice(0, 300));
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? 'login';
    step = await browser.follow(new URL(action, step.url).href, '\u0000', prompt === 'login' ? { prompt, login, password: 'x' } : { prompt });
  }
  return step;
}

describe('staff sign-in through an upstream OpenID Connect identity provider', () => {
  it('shows "Sign in with Test IdP", signs in the linked local user and issues a token with their role', async () => {
    const id = unique();
    await addUser(live, { username: `staff-${id}`, role: 'vaccine-coordinator', organization: 'org-up', fhirUser: ['Practitioner/up1'], upstreamSubject: `sub-${id}` });
    await addClient(live, { id: `app-${id}`, type: 'public', role: 'clinic-staff', redirectUris: [REDIRECT] });
    const config = await discover(live, `app-${id}`);
    const verifier = oidc.randomPKCECodeVerifier();
    const browser = new Browser();
    const start = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid fhirUser user/*.rs', state: 'u1', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const signInPage = await browser.follow(start.href, REDIRECT);
    const html = await signInPage.res.text();
    const link = /<a href="([^"]+)">Sign in with Test IdP<\/a>/.exec(html)?.[1];
    assert.ok(link, 'the sign-in page links to the upstream IdP');
    const back = await throughUpstream(browser, new URL(link, signInPage.url).href, `sub-${id}`);
    assert.ok(back.url.startsWith(live.base), back.url);
    const consent = await back.res.text();
    assert.match(consent, new RegExp(`Signed in as <b>staff-${id}</b>`));
    const done = await browser.follow(formAction(consent, back.url), REDIRECT, { decision: 'allow' });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(done.url), { pkceCodeVerifier: verifier, expectedState: 'u1' });
    assert.equal(tokens.claims()?.sub, `staff-${id}`);
    const claims = await live.registry.auth.verifyAccessToken(tokens.access_token);
    assert.deepEqual([claims.role, claims.organization, claims.fhirUser], ['vaccine-coordinator', 'org-up', 'Practitioner/up1']);
  });

  it('refuses an upstream account linked to no local user', async () => {
    const id = unique();
    await addClient(live, { id: `app-${id}`, type: 'public', role: 'clinic-staff', redirectUris: [REDIRECT] });
    const config = await discover(live, `app-${id}`);
    const browser = new Browser();
    const start = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'user/*.rs', state: 'u2', code_challenge: await oidc.calculatePKCECodeChallenge('y'.repeat(43)), code_challenge_method: 'S256' });
    const page = await browser.follow(start.href, REDIRECT);
    const link = /<a href="([^"]+)">Sign in with/.exec(await page.res.text())?.[1] ?? '';
    const back = await throughUpstream(browser, new URL(link, page.url).href, `stranger-${id}`);
    assert.equal(back.res.status, 400);
    assert.match(await back.res.text(), /No registry account is linked/);
  });
});
