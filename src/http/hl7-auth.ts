import type { FastifyRequest } from 'fastify';
import type { AccessClaims } from '../auth/access-claims.ts';
import { bearerToken, type TokenVerifier } from './authenticate.ts';
import type { Hl7Caller } from './hl7-routes.ts';

async function claimsOf(request: FastifyRequest, verify: TokenVerifier): Promise<AccessClaims | null> {
  const token = bearerToken(request);
  if (!token) return null;
  try {
    const claims = await verify(token);
    return claims.expiresAt * 1000 > Date.now() ? claims : null;
  } catch {
    return null;
  }
}

/**
 * Who may send HL7 v2 over `POST /hl7/v2`: a backend service (SMART Backend Services) of role `ehr-system` with an
 * organization, whose facility the message is then attributed to.
 * @param verify - the token verifier.
 * @returns the authenticate function of the HL7 routes.
 */
export function hl7Sender(verify: TokenVerifier): (request: FastifyRequest) => Promise<Hl7Caller | null> {
  return async (request) => {
    const claims = await claimsOf(request, verify);
    return claims?.role === 'ehr-system' && claims.organization ? { organizationId: claims.organization, clientId: claims.clientId } : null;
  };
}

/**
 * Who may read the HL7 message log and its report: state administrators (the log holds raw messages with patient data).
 * @param verify - the token verifier.
 * @returns the check.
 */
export function hl7Admin(verify: TokenVerifier): (request: FastifyRequest) => Promise<boolean> {
  return async (request) => (await claimsOf(request, verify))?.role === 'state-admin';
}
