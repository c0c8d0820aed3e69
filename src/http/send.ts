import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FhirResponse } from '../interactions/types.ts';

/** The FHIR JSON media type with charset, as R4 requires for responses (https://hl7.org/fhir/R4/http.html#mime-type). */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** @param request - the request. @returns true when `_pretty=true` was asked for. */
function wantsPretty(request: FastifyRequest): boolean {
  return (request.query as Record<string, unknown> | undefined)?._pretty === 'true';
}

/**
 * Writes a FHIR response: status, ETag (`W/"n"`), Last-Modified, Location, and the body as FHIR JSON (pretty when
 * `_pretty=true`; stored JSON text is passed through untouched on the fast path).
 * @param request - the request.
 * @param reply - the reply.
 * @param res - the interaction result.
 * @returns the reply.
 */
export function sendFhir(request: FastifyRequest, reply: FastifyReply, res: FhirResponse): FastifyReply {
  reply.code(res.status);
  if (res.versionId) reply.header('ETag', `W/"${res.versionId}"`);
  if (res.lastModified) reply.header('Last-Modified', new Date(res.lastModified).toUTCString());
  if (res.location) reply.header('Location', res.location);
  reply.header('X-Request-Id', request.id);
  if (res.status === 204 || res.status === 304 || (!res.resource && res.text === undefined)) {
    return reply.send();
  }
  reply.type(FHIR_JSON);
  if (res.text !== undefined && !wantsPretty(request)) return reply.send(res.text);
  const body = res.resource ?? JSON.parse(res.text as string);
  return reply.send(wantsPretty(request) ? JSON.stringify(body, null, 2) : JSON.stringify(body));
}
