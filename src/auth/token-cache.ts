import { hash } from 'node:crypto';
import type { AccessClaims } from './access-claims.ts';

/**
 * Remembers the claims of recently verified access tokens for a few seconds, so a client making many requests
 * costs one token lookup per interval instead of one per request. Tokens are keyed by their SHA-256 digest (the
 * cache never holds a usable token), entries never outlive the token's own expiry, and revocation in this process
 * clears the cache at once. On a multi-node deployment a token revoked on another node stays usable here for at most
 * the configured interval (RFC 7009 §2.2 leaves propagation delay to the server; SMART App Launch §"Token
 * revocation" does not require it to be immediate). An interval of 0 disables the cache.
 */
export class TokenClaimsCache {
  private readonly entries = new Map<string, { claims: AccessClaims; until: number }>();

  /**
   * @param ttlMs - how long verified claims are reused (ms); 0 disables the cache.
   * @param maxEntries - the most tokens remembered; the oldest are dropped first.
   */
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /**
   * @param token - a bearer token.
   * @param now - the current time (ms since epoch).
   * @returns the claims verified for it within the interval and still unexpired, else undefined.
   */
  get(token: string, now = Date.now()): AccessClaims | undefined {
    if (this.ttlMs <= 0) return undefined;
    const key = digest(token);
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.claims;
  }

  /**
   * @param token - a bearer token just verified.
   * @param claims - what it carries.
   * @param now - the current time (ms since epoch).
   */
  set(token: string, claims: AccessClaims, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(digest(token), { claims, until: Math.min(now + this.ttlMs, claims.expiresAt * 1000) });
  }

  /** Forgets every token (after a revocation or a change of users or clients). */
  clear(): void {
    this.entries.clear();
  }
}

/** SHA-256 of the token with Node's one-shot hash (same digest as createHash, a third of its cost per request). */
function digest(token: string): string {
  return hash('sha256', token, 'base64url');
}
