import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleFhirRequest } from '../interactions/router.ts';
import type { FhirContext, FhirMethod, FhirRequest, Services } from '../interactions/types.ts';
import type { Repository } from '../store/repository.ts';
import { AccessPolicy } from '../auth/policy.ts';
import { actorOf, authenticate, type TokenVerifier } from './authenticate.ts';
import { negotiateFormat } from './content-negotiation.ts';
import { sendFhir } from './send.ts';

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Turns a Fastify request under `/fhir` into a transport-independent FhirRequest; form-encoded `POST _search`
 * parameters join the query (https://hl7.org/fhir/R4/http.html#search).
 * @param request - the Fastify request.
 * @returns the FHIR request.
 */
export function toFhirRequest(request: FastifyRequest): FhirRequest {
  const url = request.url;
  const q = url.indexOf('?');
  const path = decodeURIComponent((q >= 0 ? url.slice(0, q) : url).replace(/^\/fhir\/?/, ''));
  const query: [string, string][] = q >= 0 ? [...new URLSearchParams(url.slice(q + 1)).entries()] : [];
  let body: unknown = request.body;
  const form = (body as { formParameters?: [string, string][] } | undefined)?.formParameters;
  if (form) {
    query.push(...form);
    body = undefined;
  }
  const headers: FhirRequest['headers'] = {};
  for (const [name, key] of FHIR_HEADERS) {
    const v = header(request, name);
    if (v !== undefined) headers[key] = v;
  }
  return { method: request.method as FhirMethod, path, query, headers, body };
}

/** The HTTP headers the FHIR interactions read, and their names in FhirRequest.headers. */
const FHIR_HEADERS = [
  ['if-match', 'ifMatch'],
  ['if-none-exist', 'ifNoneExist'],
  ['if-none-match', 'ifNoneMatch'],
  ['if-modified-since', 'ifModifiedSince'],
  ['prefer', 'prefer'],
  ['content-type', 'contentType'],
] as const;

/** Options of the FHIR routes. */
export interface FhirRoutesOptions {
  services: Services;
  repo: Repository;
  /** Verifies access tokens; undefined only when authorization is disabled for local development. */
  verifyToken: TokenVerifier | undefined;
}

/** Paths under /fhir anyone may read: the CapabilityStatement (SMART App Launch 2.0 §"Discovery"). */
const PUBLIC = /^\/fhir\/metadata(\?|$)/;

/**
 * The FHIR REST API under `/fhir`: thin routes that parse, call the interaction router once, and reply.
 * @param app - the Fastify instance.
 * @param options - services and repository.
 */
export async function fhirRoutes(app: FastifyInstance, options: FhirRoutesOptions): Promise<void> {
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    negotiateFormat(request);
    let ctx: FhirContext;
    if (PUBLIC.test(request.url) && request.method === 'GET') {
      ctx = { services: options.services, repo: options.repo, requestId: request.id, actor: { name: 'anonymous', address: request.ip } };
    } else {
      const claims = await authenticate(request, reply, options.verifyToken);
      const access = new AccessPolicy(claims, options.services);
      ctx = { services: options.services, repo: options.repo.withAccess(access), requestId: request.id, actor: actorOf(claims, request.ip), access };
    }
    const res = await handleFhirRequest(toFhirRequest(request), ctx);
    return sendFhir(request, reply, res);
  };
  for (const url of ['/fhir', '/fhir/*']) {
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url, handler });
  }
}
