import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';
import { badRequest, notFound } from '../fhir/outcomes.ts';
import { parseSearchRequest } from '../fhir/search/parse-search-request.ts';
import type { SearchRequest } from '../fhir/search/search-request.ts';
import { applyElements, applySummary } from '../fhir/summary.ts';
import { AUDIT_EVENT } from '../store/audit-trail.ts';
import type { SearchResult } from '../store/search/run-search.ts';
import { isStrict, requireType } from './common.ts';
import type { FhirContext, FhirRequest, FhirResponse } from './types.ts';

function link(base: string, path: string, pairs: [string, string][]): string {
  const qs = new URLSearchParams(pairs).toString();
  return `${base}/${path}${qs ? `?${qs}` : ''}`;
}

/**
 * Builds the searchset Bundle (https://hl7.org/fhir/R4/bundle.html#searchset) with self/first/next/previous links
 * that repeat exactly the parameters that were applied.
 * @param ctx - context.
 * @param path - the search path relative to the base (`Patient`, `Patient/1/Immunization`, ``).
 * @param request - the parsed search.
 * @param result - matches, includes, total.
 * @returns the Bundle.
 */
export function buildSearchBundle(
  ctx: FhirContext,
  path: string,
  request: SearchRequest,
  result: SearchResult,
): Bundle {
  const base = ctx.services.fhirBaseUrl;
  const applied = request.applied.filter(([k]) => !['_offset', '_count', '_cursor', '_page'].includes(k));
  const at = (extra: [string, string][]): string => link(base, path, [...applied, ['_count', String(request.count)], ...extra]);
  const links: BundleLink[] = [{ relation: 'self', url: link(base, path, request.applied) }, { relation: 'first', url: at([]) }];
  const p = result.paging;
  if (p.kind === 'cursor') {
    if (p.hasNext && p.lastId) links.push({ relation: 'next', url: at([['_cursor', `after:${p.lastId}`]]) });
    if (p.hasPrevious && p.firstId) links.push({ relation: 'previous', url: at([['_cursor', `before:${p.firstId}`]]) });
  } else if (p.kind === 'snapshot') {
    if (result.hasMore) links.push({ relation: 'next', url: at([['_page', p.token], ['_offset', String(p.offset + request.count)]]) });
    if (p.offset > 0) links.push({ relation: 'previous', url: at([['_page', p.token], ['_offset', String(Math.max(0, p.offset - request.count))]]) });
  } else {
    if (result.hasMore) links.push({ relation: 'next', url: at([['_offset', String(request.offset + request.count)]]) });
    if (request.offset > 0) links.push({ relation: 'previous', url: at([['_offset', String(Math.max(0, request.offset - request.count))]]) });
  }
  const shape = (r: Resource): Resource => applyElements(applySummary(r, request.summary), request.elements);
  const entry: BundleEntry[] = [
    ...result.matches.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: shape(r), search: { mode: 'match' as const } })),
    ...result.included.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: shape(r), search: { mode: 'include' as const } })),
  ];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(result.total !== undefined ? { total: result.total } : {}),
    link: links,
    ...(entry.length ? { entry } : {}),
  };
}

/**
 * Type-level, system-level and compartment search (https://hl7.org/fhir/R4/http.html#search), for GET and
 * `POST _search` alike (the caller merges form parameters into `req.query`).
 * @param req - request.
 * @param ctx - context.
 * @param type - resource type, or undefined for a system search.
 * @param compartment - the compartment for `Patient/[id]/[type]`.
 * @returns the searchset response.
 */
export async function searchInteraction(
  req: FhirRequest,
  ctx: FhirContext,
  type: string | undefined,
  compartment?: { type: string; id: string },
): Promise<FhirResponse> {
  const services = ctx.services;
  let types: string[];
  if (type) {
    requireType(ctx, type, 'search-type');
    types = [type];
  } else {
    // The audit trail is searched on its own (GET [base]/AuditEvent), never mixed into a system-wide search.
    types = services.resourceTypes.types().filter((t) => t !== AUDIT_EVENT && services.resourceTypes.allows(t, 'search-type'));
  }
  const request = parseSearchRequest(services.searchParameters, types, req.query, { strict: isStrict(req) });
  for (const t of request.resourceTypes) {
    if (!services.resourceTypes.has(t)) throw badRequest(`_type names an unsupported resource type "${t}"`, '_type');
  }
  if (request.revinclude.some((r) => r.sourceType === AUDIT_EVENT)) throw badRequest('AuditEvents cannot be reverse-included; search AuditEvent?entity=… instead', '_revinclude');
  let path = type ?? '';
  if (compartment) {
    if (compartment.type !== 'Patient') throw notFound(`Compartment ${compartment.type} is not supported`);
    const codes = services.patientCompartment.get(type as string);
    if (!codes?.length) throw notFound(`${type} is not in the Patient compartment`);
    await ctx.repo.readResourceText(compartment.type, compartment.id);
    request.compartment = { ...compartment, codes };
    path = `${compartment.type}/${compartment.id}/${type}`;
  }
  const result = await ctx.repo.search(request);
  return { status: 200, resource: buildSearchBundle(ctx, path, request, result) };
}
