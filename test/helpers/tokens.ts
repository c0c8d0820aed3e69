import { SignJWT, generateKeyPair, jwtVerify } from 'jose';
import type { AccessClaims } from '../../src/auth/access-claims.ts';
import type { TokenVerifier } from '../../src/http/authenticate.ts';

const keys = generateKeyPair('ES256');
const ISSUER = 'urn:test-issuer';

/**
 * Signs a real JWT carrying access claims, for tests of the FHIR-side policy (the authorization server's own
 * tokens are tested in test/auth).
 * @param claims - the claims; `expiresAt` defaults to an hour from now.
 * @returns the token.
 */
export async function tokenFor(claims: Omit<AccessClaims, 'expiresAt' | 'clientId'> & Partial<Pick<AccessClaims, 'expiresAt' | 'clientId'>>): Promise<string> {
  const full: AccessClaims = { clientId: 'test-client', expiresAt: Math.floor(Date.now() / 1000) + 3600, ...claims };
  return new SignJWT({ claims: full })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(ISSUER)
    .setExpirationTime(full.expiresAt)
    .sign((await keys).privateKey);
}

/** Verifies tokens made by tokenFor. */
export const verifyTestToken: TokenVerifier = async (token) => {
  const { payload } = await jwtVerify(token, (await keys).publicKey, { issuer: ISSUER });
  return payload.claims as AccessClaims;
};

let admin: Promise<string> | undefined;
/** @returns a state-admin token with every scope (the default for tests that are not about authorization). */
export function adminToken(): Promise<string> {
  admin ??= tokenFor({ sub: 'test-admin', role: 'state-admin', scopes: ['user/*.cruds'] });
  return admin;
}
