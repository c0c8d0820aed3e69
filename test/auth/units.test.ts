import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { isMinor } from '../../src/auth/patient-choices.ts';
import { grantableSystemScopes, grantableUserScopes, isResourceScope } from '../../src/auth/scopes.ts';
import { hashPassword, verifyPassword } from '../../src/auth/passwords.ts';
import { escapeHtml, renderConsentPage } from '../../src/auth/pages.ts';

describe('auth units', () => {
  it('AUTH_DISABLED / AUTH=off is refused unless HOST is loopback; auth is on by default', () => {
    assert.equal(loadConfig({}).authDisabled, false);
    assert.equal(loadConfig({ AUTH_DISABLED: 'true' }).authDisabled, true);
    assert.equal(loadConfig({ AUTH: 'off', HOST: '::1' }).authDisabled, true);
    assert.throws(() => loadConfig({ AUTH_DISABLED: 'true', HOST: '0.0.0.0' }), ConfigError);
    assert.throws(() => loadConfig({ AUTH: 'off', HOST: '10.1.2.3' }), ConfigError);
    assert.equal(loadConfig({ BASE_URL: 'https://iis.example/' }).authIssuer, 'https://iis.example/auth');
    assert.throws(() => loadConfig({ UPSTREAM_OIDC_ISSUER: 'https://idp.example' }), ConfigError);
  });

  it('SMART scope grammar, v1 and v2', () => {
    for (const s of ['patient/Immunization.rs', 'user/*.cruds', 'system/*.rs', 'patient/*.read', 'user/Patient.write', 'system/*.*', 'patient/Observation.rs?category=laboratory']) assert.ok(isResourceScope(s), s);
    for (const s of ['openid', 'launch/patient', 'patient/Immunization.', 'patient/immunization.rs', 'admin/*.rs', 'user/*.sr x']) assert.ok(!isResourceScope(s), s);
    assert.deepEqual(grantableUserScopes(['patient/*.rs', 'user/*.rs', 'system/*.rs', 'openid'], 'patient'), ['patient/*.rs']);
    assert.deepEqual(grantableUserScopes(['patient/*.rs', 'user/*.rs', 'system/*.rs'], 'clinic-staff'), ['patient/*.rs', 'user/*.rs']);
    assert.deepEqual(grantableUserScopes(['user/*.rs', 'user/*.cruds'], 'clinic-staff', 'user/*.rs'), ['user/*.rs']);
    assert.deepEqual(grantableSystemScopes(['system/*.rs', 'user/*.rs', 'patient/*.rs']), ['system/*.rs']);
  });

  it('minors: under 18 today; imprecise or missing birth dates never make a minor of an adult', () => {
    const today = new Date('2026-06-15T12:00:00Z');
    assert.ok(isMinor('2010-01-01', today));
    assert.ok(!isMinor('2008-06-15', today));
    assert.ok(isMinor('2008-06-16', today));
    assert.ok(!isMinor('2008', today));
    assert.ok(!isMinor(undefined, today));
  });

  it('scrypt password hashes verify and differ per salt', async () => {
    const a = await hashPassword('a long enough password');
    assert.match(a, /^scrypt\$32768\$8\$1\$/);
    assert.notEqual(a, await hashPassword('a long enough password'));
    assert.ok(await verifyPassword('a long enough password', a));
    assert.ok(!(await verifyPassword('another password', a)));
    assert.ok(!(await verifyPassword('x', 'garbage')));
  });

  it('pages escape what they show', () => {
    assert.equal(escapeHtml(`<a href="x">'&`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
    const html = renderConsentPage({ action: '/x', clientId: '<script>', username: 'u', scopes: ['"><img>'], patients: [{ id: '"x', label: '<b>' }] });
    assert.ok(!html.includes('<script>') && !html.includes('<img>') && !html.includes('<b><')); 
  });
});

describe('lockout window', () => {
  it('locks for 15 minutes from the fifth failure within 15 minutes, and only then', async () => {
    const { lockedUntil } = await import('../../src/auth/sign-in.ts');
    const min = 60_000;
    const now = Date.parse('2026-06-15T12:00:00Z');
    const storeWith = (ago: number[]) => ({ latestLoginFailures: async () => ago.map((a) => now - a * min) }) as unknown as Parameters<typeof lockedUntil>[0];
    assert.equal(await lockedUntil(storeWith([1, 2, 3, 4, 5]), 'u', now), now + 14 * min);
    assert.equal(await lockedUntil(storeWith([1, 2, 3, 4]), 'u', now), undefined);
    assert.equal(await lockedUntil(storeWith([1, 2, 3, 4, 17]), 'u', now), undefined, 'five failures spread over more than 15 minutes');
    assert.equal(await lockedUntil(storeWith([16, 17, 18, 19, 20]), 'u', now), undefined, 'the lock has run out');
  });
});
