import type { Resource } from '@medplum/fhirtypes';
import { applyPatch, type Operation } from 'rfc6902';
import { FhirError, badRequest, errorIssue, informational, outcome, preconditionFailed } from '../fhir/outcomes.ts';
import { parseSearchRequest } from '../fhir/search/parse-search-request.ts';
import { parseETag, parseQueryString, requireResourceBody, requireType, writeResponse } from './common.ts';
import type { FhirContext, FhirRequest, FhirResponse } from './types.ts';
import { afterWrite } from './forecast-refresh.ts';
import { validateForWrite } from './validate-write.ts';
import { newResourceId } from '../fhir/resource-id.ts';

const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * Finds the resources matching a conditional query, at most two (enough to tell none, one and many).
 * @param ctx - context.
 * @param type - resource type.
 * @param query - the criteria.
 * @returns up to two matches.
 */
export async function findConditionalMatches(ctx: FhirContext, type: string, query: [string, string][]): Promise<Resource[]> {
  const filters = query.filter(([k]) => !k.startsWith('_') || k === '_id' || k === '_lastUpdated' || k.startsWith('_has') || k === '_tag' || k === '_profile' || k === '_security');
  if (!filters.length) throw badRequest('A conditional request needs search criteria');
  const request = parseSearchRequest(ctx.services.searchParameters, [type], filters, { strict: true });
  request.count = 2;
  return (await ctx.repo.search(request)).matches;
}

/**
 * `POST [type]`, with `If-None-Exist` for conditional create (https://hl7.org/fhir/R4/http.html#create,
 * #ccreate). Concurrent conditional creates with the same criteria are serialised so only one creates.
 * @param req - request.
 * @param ctx - context.
 * @param type - resource type.
 * @returns the response.
 */
export async function createInteraction(req: FhirRequest, ctx: FhirContext, type: string): Promise<FhirResponse> {
  const assignedId = req.assignedId;
  requireType(ctx, type, 'create');
  const resource = requireResourceBody(req.body, type);
  const { id: _ignored, ...body } = resource;
  const candidate = body as Resource;
  return ctx.repo.transaction(async (repo) => {
    const txCtx = { ...ctx, repo };
    if (req.headers.ifNoneExist) {
      const query = parseQueryString(req.headers.ifNoneExist);
      await repo.lockKey(`${type}?${req.headers.ifNoneExist}`);
      const matches = await findConditionalMatches(txCtx, type, query);
      if (matches.length > 1) throw preconditionFailed(`If-None-Exist matched ${matches.length} or more ${type} resources`);
      if (matches.length === 1) return writeResponse(req, 200, matches[0] as Resource, ctx.services.fhirBaseUrl);
    }
    ctx.access?.stamp(candidate);
    await validateForWrite(candidate, txCtx);
    const stored = await repo.createResource(candidate, assignedId);
    if (ctx.deferredAccess) ctx.deferredAccess.push({ type, id: stored.id as string, perm: 'c' });
    else await repo.assertAccess(type, stored.id as string, 'c');
    await afterWrite(txCtx, stored);
    return writeResponse(req, 201, stored, ctx.services.fhirBaseUrl);
  });
}

/**
 * `PUT [type]/[id]` (update, or create with the client's id) and `PUT [type]?criteria` (conditional update)
 * (https://hl7.org/fhir/R4/http.html#update, #cond-update), honouring `If-Match`.
 * @param req - request.
 * @param ctx - context.
 * @param type - resource type.
 * @param id - id from the URL, absent for a conditional update.
 * @returns the response.
 */
export async function updateInteraction(req: FhirRequest, ctx: FhirContext, type: string, id?: string): Promise<FhirResponse> {
  requireType(ctx, type, 'update');
  const resource = requireResourceBody(req.body, type, id);
  const ifMatch = parseETag(req.headers.ifMatch);
  return ctx.repo.transaction(async (repo) => {
    const txCtx = { ...ctx, repo };
    let targetId = id;
    if (targetId === undefined) {
      const query = req.query;
      await repo.lockKey(`${type}?${new URLSearchParams(query).toString()}`);
      const matches = await findConditionalMatches(txCtx, type, query);
      if (matches.length > 1) throw preconditionFailed(`Conditional update matched more than one ${type}`);
      const match = matches[0];
      if (match && resource.id && resource.id !== match.id) {
        throw badRequest(`Resource id "${resource.id}" differs from the id of the matching resource`, `${type}.id`);
      }
      targetId = match?.id ?? resource.id ?? newResourceId();
    }
    if (!ID_RE.test(targetId)) throw badRequest(`Invalid id "${targetId}": 1-64 letters, digits, "-" and "."`, `${type}.id`);
    const candidate = { ...resource, id: targetId } as Resource;
    ctx.access?.stamp(candidate);
    await validateForWrite(candidate, txCtx);
    const { resource: stored, created } = await repo.updateResource(candidate, { ...(ifMatch !== undefined ? { ifMatch } : {}) });
    if (created) ctx.access?.require(type, 'c');
    if (ctx.deferredAccess) ctx.deferredAccess.push({ type, id: targetId, perm: created ? 'c' : 'u' });
    else await repo.assertAccess(type, targetId, created ? 'c' : 'u');
    await afterWrite(txCtx, stored);
    return writeResponse(req, created ? 201 : 200, stored, ctx.services.fhirBaseUrl);
  });
}

/**
 * `PATCH [type]/[id]` with a JSON Patch document (https://hl7.org/fhir/R4/http.html#patch). The patched result is
 * validated like any update; a failed `test` operation answers 422.
 * @param req - request.
 * @param ctx - context.
 * @param type - resource type.
 * @param id - id from the URL, absent for a conditional patch.
 * @returns the response.
 */
export async function patchInteraction(req: FhirRequest, ctx: FhirContext, type: string, id?: string): Promise<FhirResponse> {
  requireType(ctx, type, 'patch');
  if (req.headers.contentType && !/json-patch\+json/.test(req.headers.contentType)) {
    throw new FhirError(415, outcome([errorIssue('not-supported', 'PATCH takes application/json-patch+json')]));
  }
  if (!Array.isArray(req.body)) throw badRequest('A JSON Patch body must be an array of operations');
  const ops = req.body as Operation[];
  const ifMatch = parseETag(req.headers.ifMatch);
  return ctx.repo.transaction(async (repo) => {
    const txCtx = { ...ctx, repo };
    let targetId = id;
    if (targetId === undefined) {
      const matches = await findConditionalMatches(txCtx, type, req.query);
      if (matches.length !== 1) throw preconditionFailed(`Conditional patch must match exactly one ${type}; matched ${matches.length}`);
      targetId = (matches[0] as Resource).id as string;
    }
    const current = await repo.readResource(type, targetId);
    const patched = structuredClone(current) as Resource;
    const results = applyPatch(patched, ops);
    results.forEach((r, i) => {
      if (!r) return;
      if (r.name === 'TestError') throw new FhirError(422, outcome([errorIssue('processing', `Patch test failed: ${r.message}`, `[${i}]`)]));
      throw badRequest(`Patch operation ${i} failed: ${r.message}`, `[${i}]`);
    });
    if (patched.resourceType !== type || patched.id !== targetId) throw badRequest('A patch cannot change resourceType or id');
    ctx.access?.stamp(patched);
    await validateForWrite(patched, txCtx);
    const { resource: stored } = await repo.updateResource(patched, { method: 'PATCH', ...(ifMatch !== undefined ? { ifMatch } : {}) });
    await repo.assertAccess(type, targetId, 'u');
    await afterWrite(txCtx, stored);
    return writeResponse(req, 200, stored, ctx.services.fhirBaseUrl);
  });
}

/**
 * `DELETE [type]/[id]` and `DELETE [type]?criteria` (single-match conditional delete)
 * (https://hl7.org/fhir/R4/http.html#delete, #3.1.0.7.1). Deleting what is absent or already deleted succeeds.
 * @param req - request.
 * @param ctx - context.
 * @param type - resource type.
 * @param id - id, absent for a conditional delete.
 * @returns the response.
 */
export async function deleteInteraction(req: FhirRequest, ctx: FhirContext, type: string, id?: string): Promise<FhirResponse> {
  requireType(ctx, type, 'delete');
  const ifMatch = parseETag(req.headers.ifMatch);
  return ctx.repo.transaction(async (repo) => {
    const txCtx = { ...ctx, repo };
    let targetId = id;
    if (targetId === undefined) {
      const matches = await findConditionalMatches(txCtx, type, req.query);
      if (matches.length > 1) throw preconditionFailed(`Conditional delete matched more than one ${type}`);
      targetId = matches[0]?.id;
      if (targetId === undefined) return { status: 204 };
    }
    const before = type === 'Immunization' || type === 'Patient' ? await repo.readResource(type, targetId).catch(() => undefined) : undefined;
    const versionId = await repo.deleteResource(type, targetId, ifMatch);
    if (before && versionId) await afterWrite(txCtx, before, true);
    const prefer = /return=([a-zA-Z]+)/.exec(req.headers.prefer ?? '')?.[1];
    const response: FhirResponse = { status: prefer === 'OperationOutcome' ? 200 : 204, ...(versionId ? { versionId: String(versionId) } : {}) };
    if (prefer === 'OperationOutcome') response.resource = informational(versionId ? `${type}/${targetId} deleted` : `${type}/${targetId} was not present`);
    return response;
  });
}
