import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccessClaims } from '../../src/auth/access-claims.ts';
import { TokenClaimsCache } from '../../src/auth/token-cache.ts';

const claims = (expiresAt: number): AccessClaims => ({ sub: 'u', clientId: 'c', scopes: ['user/*.rs'], role: 'clinic-staff', expiresAt });

describe('TokenClaimsCache', () => {
  it('returns claims within the interval and forgets them after it', () => {
    const cache = new TokenClaimsCache(10_000);
    const c = claims(2_000_000);
    cache.set('tok', c, 1_000_000);
    assert.equal(cache.get('tok', 1_005_000), c);
    assert.equal(cache.get('other', 1_005_000), undefined);
    assert.equal(cache.get('tok', 1_010_000), undefined);
  });

  it('never outlives the token itself', () => {
    const cache = new TokenClaimsCache(10_000);
    cache.set('tok', claims(1_003), 1_000_000); // expires at 1,003 s = 1,003,000 ms
    assert.ok(cache.get('tok', 1_002_999));
    assert.equal(cache.get('tok', 1_003_000), undefined);
  });

  it('clear() forgets everything; an interval of 0 disables it; the oldest entry goes first when full', () => {
    const cache = new TokenClaimsCache(10_000, 2);
    cache.set('a', claims(9e9), 0);
    cache.set('b', claims(9e9), 0);
    cache.set('c', claims(9e9), 0);
    assert.equal(cache.get('a', 1), undefined);
    assert.ok(cache.get('b', 1) && cache.get('c', 1));
    cache.clear();
    assert.equal(cache.get('b', 1), undefined);
    const off = new TokenClaimsCache(0);
    off.set('a', claims(9e9), 0);
    assert.equal(off.get('a', 1), undefined);
  });
});
