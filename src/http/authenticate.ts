import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessClaims } from '../auth/access-claims.ts';
import { FhirError, errorIssue, outcome } from '../fhir/outcomes.ts';
import type { Actor } from '../registry/audit-event.ts';

/** Checks a bearer token and says what it carries; throws when it is invalid, expired or revoked. */
export type TokenVerifier = (token: string) => Promise<AccessClaims>;

/** The claims of a developer when `AUTH_DISABLED` is set (loopback only; attributed as such in the audit trail). */
export const DEVELOPER_CLAIMS: AccessClaims = {
  sub: 'local-developer',
  clientId: 'auth-disabled',
  scopes: ['user/*.cruds'],
  role: 'state-admin',
  expiresAt: Number.MAX_SAFE_INTEGER,
};

function unauthorized(reply: FastifyReply, text: string, error?: string): FhirError {
  // RFC 6750 §3: the challenge names the realm and, when a token was sent, why it failed.
  reply.header('www-authenticate', `Bearer realm="fhir"${error ? `, error="${error}", error_description="${text.replace(/"/g, "'")}"` : ''}`);
  return new FhirError(401, outcome([errorIssue('login', text)]));
}

/**
 * The bearer token of a request (RFC 6750 §2.1).
 * @param request - the request.
 * @returns the token, or undefined when the Authorization header is absent or not `Bearer <token>`.
 */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header ? /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header)?.[1] : undefined;
}

/**
 * Authenticates a request to the FHIR API with its SMART access token (RFC 6750 bearer;
 * SMART App Launch 2.0 §"Access token"), or answers 401 with `WWW-Authenticate`.
 * @param request - the request.
 * @param reply - the reply (for the challenge header).
 * @param verify - the token verifier, or undefined when authorization is disabled for local development.
 * @returns the token's claims.
 */
export async function authenticate(request: FastifyRequest, reply: FastifyReply, verify: TokenVerifier | undefined): Promise<AccessClaims> {
  if (!verify) return DEVELOPER_CLAIMS;
  const header = request.headers.authorization;
  const token = bearerToken(request);
  if (!token) throw unauthorized(reply, header ? 'The Authorization header must be "Bearer <access token>"' : 'This endpoint needs an access token', header ? 'invalid_request' : undefined);
  try {
    const claims = await verify(token);
    if (claims.expiresAt * 1000 <= Date.now()) throw new Error('expired');
    return claims;
  } catch {
    throw unauthorized(reply, 'The access token is invalid, expired or revoked', 'invalid_token');
  }
}

/**
 * Who the caller is, for the audit trail: the user or client, never a patient's name.
 * @param claims - token claims.
 * @param address - caller's network address.
 * @returns the actor.
 */
export function actorOf(claims: AccessClaims, address: string): Actor {
  return { name: claims.sub, clientId: claims.clientId, role: claims.role, address, ...(claims.fhirUser ? { reference: claims.fhirUser } : {}) };
}
