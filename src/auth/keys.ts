import { exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import type { AuthStore } from '../store/auth-store.ts';

/** The server's key material, shared by every app node through the database. */
export interface ServerKeys {
  /** Private signing JWKs (ID tokens), newest last. */
  signing: JWK[];
  /** Secrets oidc-provider signs its cookies with. */
  cookieKeys: string[];
}

/**
 * Loads the signing keys, generating them with jose on first start (RS256 for ID tokens, as OpenID Connect Core
 * §15.1 requires every provider to support, and ES384).
 * @param store - the auth store.
 * @returns the keys.
 */
export async function loadOrCreateKeys(store: AuthStore): Promise<ServerKeys> {
  let signing = await store.listKeys('sig');
  if (!signing.length) {
    for (const alg of ['RS256', 'ES384'] as const) {
      const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
      const jwk = await exportJWK(privateKey);
      const kid = await calculateJwkThumbprint(jwk);
      await store.insertKey(kid, 'sig', { ...jwk, kid, alg, use: 'sig' });
    }
    signing = await store.listKeys('sig');
  }
  let cookie = await store.listKeys('cookie');
  if (!cookie.length) {
    await store.insertKey(`cookie-${randomBytes(8).toString('hex')}`, 'cookie', { k: randomBytes(32).toString('base64url') });
    cookie = await store.listKeys('cookie');
  }
  return { signing: signing as JWK[], cookieKeys: cookie.map((c) => String(c.k)) };
}
