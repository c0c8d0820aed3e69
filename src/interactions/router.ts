import { badRequest, notFound, notSupported } from '../fhir/outcomes.ts';
import { withAudit } from './audit.ts';
import { bundleInteraction } from './bundle.ts';
import { buildCapabilityStatement } from './capability.ts';
import { historyInteraction } from './history.ts';
import { readInteraction, vreadInteraction } from './read.ts';
import { searchInteraction } from './search.ts';
import type { FhirContext, FhirRequest, FhirResponse } from './types.ts';
import { createInteraction, deleteInteraction, patchInteraction, updateInteraction } from './write.ts';

const TYPE_RE = /^[A-Z][A-Za-z]+$/;
const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;

/** Permission checks before any query (the repository then applies the caller's rules in SQL). */
function need(ctx: FhirContext, type: string, perm: 'c' | 'r' | 'u' | 'd' | 's'): void {
  // What the server does not offer at all answers 404/405 from the interaction, whoever asks.
  const interaction = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search-type' }[perm];
  if (!ctx.services.resourceTypes.allows(type, interaction)) return;
  ctx.access?.require(type, perm);
}

async function operation(req: FhirRequest, ctx: FhirContext, name: string, resourceType?: string, id?: string): Promise<FhirResponse> {
  const op = ctx.services.operations.get(name.slice(1));
  ctx.access?.requireOperation(name.slice(1));
  const level = id ? 'instance' : resourceType ? 'type' : 'system';
  if (!op || !op.definition[level]) throw notFound(`Operation ${name} is not supported at ${level} level${resourceType ? ` on ${resourceType}` : ''}`);
  if (resourceType && !ctx.services.resourceTypes.has(resourceType)) throw notFound(`Resource type "${resourceType}" is not supported`);
  if (op.definition.resource?.length && resourceType && !op.definition.resource.includes(resourceType as never)) {
    throw notFound(`Operation ${name} is not defined on ${resourceType}`);
  }
  if (req.method !== 'GET' && req.method !== 'POST') throw notSupported(`Operations are invoked with GET or POST`);
  return op.handle(req, ctx, { level, ...(resourceType ? { resourceType } : {}), ...(id ? { id } : {}) });
}

/**
 * Dispatches a FHIR RESTful request to its interaction (https://hl7.org/fhir/R4/http.html). Every entry point —
 * HTTP, bundle entries, HL7 v2 and the CLI — comes through here, so one rule holds everywhere.
 * @param req - the request.
 * @param ctx - the context.
 * @returns the response.
 */
export async function handleFhirRequest(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  return withAudit(req, ctx, () => dispatch(req, ctx));
}

async function dispatch(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const parts = req.path.split('/').filter(Boolean);
  const [a, b, c, d] = parts;
  const m = req.method;
  if (parts.length === 0) {
    if (m === 'POST') return bundleInteraction(req, ctx, handleFhirRequest);
    if (m === 'GET') return searchInteraction(req, ctx, undefined);
    throw notSupported(`${m} is not supported on the base`);
  }
  if (a === 'metadata' && parts.length === 1) {
    if (m !== 'GET') throw notSupported('metadata is read with GET');
    return { status: 200, resource: buildCapabilityStatement(ctx.services) };
  }
  if (a === '_history' && parts.length === 1 && m === 'GET') return historyInteraction(req, ctx);
  if (a?.startsWith('$') && parts.length === 1) return operation(req, ctx, a);
  if (!a || !TYPE_RE.test(a)) throw notFound(`Unknown path /${req.path}`);
  if (!ctx.services.resourceTypes.has(a)) throw notFound(`Resource type "${a}" is not supported by this server`);
  if (parts.length === 1) {
    switch (m) {
      case 'GET':
        need(ctx, a, 's');
        return searchInteraction(req, ctx, a);
      case 'POST':
        need(ctx, a, 'c');
        return createInteraction(req, ctx, a);
      case 'PUT':
        if (!req.query.length) throw badRequest('PUT on a type needs search criteria (conditional update) or an id in the URL');
        need(ctx, a, 'u');
        return updateInteraction(req, ctx, a);
      case 'PATCH':
        if (!req.query.length) throw badRequest('PATCH on a type needs search criteria or an id in the URL');
        need(ctx, a, 'u');
        return patchInteraction(req, ctx, a);
      case 'DELETE':
        if (!req.query.length) throw badRequest('DELETE on a type needs search criteria (conditional delete)');
        need(ctx, a, 'd');
        return deleteInteraction(req, ctx, a);
    }
  }
  if (b === '_search' && parts.length === 2 && m === 'POST') {
    need(ctx, a, 's');
    return searchInteraction(req, ctx, a);
  }
  if (b === '_history' && parts.length === 2 && m === 'GET') {
    need(ctx, a, 'r');
    return historyInteraction(req, ctx, a);
  }
  if (b?.startsWith('$') && parts.length === 2) return operation(req, ctx, b, a);
  if (!b || !ID_RE.test(b)) throw notFound(`Invalid resource id in /${req.path}`);
  if (parts.length === 2) {
    switch (m) {
      case 'GET':
        need(ctx, a, 'r');
        return readInteraction(req, ctx, a, b);
      case 'PUT':
        need(ctx, a, 'u');
        return updateInteraction(req, ctx, a, b);
      case 'PATCH':
        need(ctx, a, 'u');
        return patchInteraction(req, ctx, a, b);
      case 'DELETE':
        need(ctx, a, 'd');
        return deleteInteraction(req, ctx, a, b);
      default:
        throw notSupported(`${m} is not supported on a resource instance`);
    }
  }
  if (c === '_history' && m === 'GET') {
    need(ctx, a, 'r');
    if (parts.length === 3) return historyInteraction(req, ctx, a, b);
    if (parts.length === 4 && d) return vreadInteraction(req, ctx, a, b, d);
  }
  if (c?.startsWith('$') && parts.length === 3) return operation(req, ctx, c, a, b);
  if (c && TYPE_RE.test(c) && parts.length === 3 && m === 'GET') {
    need(ctx, c, 's');
    return searchInteraction(req, ctx, c, { type: a, id: b });
  }
  throw notFound(`Unknown path /${req.path}`);
}
