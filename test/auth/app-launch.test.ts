import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { REDIRECT, authorizeInBrowser, discover } from './flow.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { Browser, addClient, addPatient, addRelatedPerson, addUser, formAction, startLiveRegistry, unique, type LiveRegistry } from './helpers.ts';

let live: LiveRegistry;

before(async () => {
  live = await startLiveRegistry();
});
after(async () => {
  await live?.close();
});

describe('SMART App Launch: authorization code + PKCE', () => {
  it('signs in, consents, exchanges the code; id token has fhirUser; token response has patient (standalone launch/patient)', async () => {
    const id = unique();
    const self = await addPatient(live, 30);
    await addUser(live, { username: `pat-${id}`, role: 'patient', fhirUser: [`Patient/${self}`] });
    await addClient(live, { id: `app-${id}`, type: 'public', role: 'patient', redirectUris: [REDIRECT] });
    const config = await discover(live, `app-${id}`);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const { callback } = await authorizeInBrowser(live, config, {
      scope: 'openid fhirUser launch/patient patient/Immunization.rs patient/Patient.read user/*.cruds', state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }, `pat-${id}`, 'correct horse battery');
    assert.ok(callback, 'redirected back to the app');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
    assert.equal(tokens.patient, self);
    assert.equal(tokens.claims()?.fhirUser, `Patient/${self}`);
    const scopes = String(tokens.scope).split(' ');
    assert.ok(scopes.includes('patient/Immunization.rs') && scopes.includes('patient/Patient.read') && scopes.includes('launch/patient'));
    assert.ok(!scopes.includes('user/*.cruds'), 'a patient is never granted user/ scopes');
    assert.equal(tokens.refresh_token, undefined, 'no refresh token without offline_access');
    const claims = await live.registry.auth.verifyAccessToken(tokens.access_token);
    assert.equal(claims.sub, `pat-${id}`);
    assert.equal(claims.role, 'patient');
    assert.equal(claims.patient, self);
    assert.equal(claims.fhirUser, `Patient/${self}`);
    assert.ok(claims.expiresAt > Date.now() / 1000);
  });

  it('requires PKCE (S256) even for a confidential client', async () => {
    const id = unique();
    await addClient(live, { id: `app-${id}`, type: 'confidential', role: 'clinic-staff', redirectUris: [REDIRECT], secretHash: await hashPassword('s3cret-s3cret-s3cret') });
    const config = await discover(live, `app-${id}`, oidc.ClientSecretBasic('s3cret-s3cret-s3cret'));
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid user/*.rs', state: 'x' });
    const res = await fetch(url, { redirect: 'manual' });
    const loc = new URL(res.headers.get('location') ?? '', url);
    assert.equal(loc.searchParams.get('error'), 'invalid_request');
    assert.match(loc.searchParams.get('error_description') ?? '', /PKCE|code_challenge/);
    const plain = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid user/*.rs', state: 'x', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    const res2 = await fetch(plain, { redirect: 'manual' });
    assert.equal(new URL(res2.headers.get('location') ?? '', url).searchParams.get('error'), 'invalid_request');
  });

  it('guardian patient picker offers minor children only, never an adult child, and fhirUser is the RelatedPerson', async () => {
    const id = unique();
    const kidA = await addPatient(live, 5);
    const kidB = await addPatient(live, 12);
    const adult = await addPatient(live, 22);
    const rpA = await addRelatedPerson(live, kidA);
    const rpB = await addRelatedPerson(live, kidB);
    const rpAdult = await addRelatedPerson(live, adult);
    await addUser(live, { username: `mom-${id}`, role: 'patient', fhirUser: [`RelatedPerson/${rpA}`, `RelatedPerson/${rpB}`, `RelatedPerson/${rpAdult}`] });
    await addClient(live, { id: `app-${id}`, type: 'public', role: 'patient', redirectUris: [REDIRECT] });
    const config = await discover(live, `app-${id}`);
    const verifier = oidc.randomPKCECodeVerifier();
    const params = { scope: 'openid fhirUser launch/patient patient/*.rs', state: 's1', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' };
    // Choosing the adult child is refused even when posted by hand.
    const refused = await authorizeInBrowser(live, config, params, `mom-${id}`, 'correct horse battery', () => ({ patient: adult }));
    assert.equal(refused.callback, '');
    assert.match(refused.html, /Choose one of the patients/);
    const { callback, consentHtml } = await authorizeInBrowser(live, config, params, `mom-${id}`, 'correct horse battery', () => ({ patient: kidB }));
    assert.ok(consentHtml?.includes(`value="${kidA}"`) && consentHtml.includes(`value="${kidB}"`));
    assert.ok(!consentHtml?.includes(adult), 'the adult child is never offered');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 's1' });
    assert.equal(tokens.patient, kidB);
    assert.equal(tokens.claims()?.fhirUser, `RelatedPerson/${rpB}`);
  });

  it('a user who denies sends the app access_denied', async () => {
    const id = unique();
    await addUser(live, { username: `deny-${id}`, role: 'clinic-staff', fhirUser: [] });
    await addClient(live, { id: `app-${id}`, type: 'public', role: 'clinic-staff', redirectUris: [REDIRECT] });
    const config = await discover(live, `app-${id}`);
    const browser = new Browser();
    const start = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'user/*.rs', state: 'd', code_challenge: await oidc.calculatePKCECodeChallenge('z'.repeat(43)), code_challenge_method: 'S256' });
    let step = await browser.follow(start.href, REDIRECT);
    step = await browser.follow(formAction(await step.res.text(), step.url), REDIRECT, { username: `deny-${id}`, password: 'correct horse battery' });
    step = await browser.follow(formAction(await step.res.text(), step.url), REDIRECT, { decision: 'deny' });
    assert.equal(new URL(step.url).searchParams.get('error'), 'access_denied');
  });
});
