import { applyElements, applySummary } from '../fhir/summary.ts';
import type { SummaryMode } from '../fhir/search/search-request.ts';
import type { Resource } from '@medplum/fhirtypes';
import { badRequest } from '../fhir/outcomes.ts';
import { requireType } from './common.ts';
import type { FhirContext, FhirRequest, FhirResponse } from './types.ts';

function subsetting(req: FhirRequest): { summary?: SummaryMode; elements?: string[] } {
  const summary = req.query.find(([k]) => k === '_summary')?.[1];
  const elements = req.query.find(([k]) => k === '_elements')?.[1];
  if (summary && !['true', 'false', 'text', 'data', 'count'].includes(summary)) throw badRequest('_summary must be true, false, text, data or count', '_summary');
  return {
    ...(summary ? { summary: summary as SummaryMode } : {}),
    ...(elements ? { elements: elements.split(',').map((e) => e.trim()).filter(Boolean) } : {}),
  };
}

function respond(resource: Resource, req: FhirRequest): FhirResponse {
  const { summary, elements } = subsetting(req);
  const body = applyElements(applySummary(resource, summary), elements);
  return { status: 200, resource: body, versionId: resource.meta?.versionId, lastModified: resource.meta?.lastUpdated };
}

/**
 * `GET [type]/[id]` (https://hl7.org/fhir/R4/http.html#read), with `_summary` and `_elements`. Honours
 * `If-None-Match` (304 when the version is unchanged).
 * @param req - request.
 * @param ctx - context.
 * @param type - resource type.
 * @param id - id.
 * @returns the response.
 */
export async function readInteraction(req: FhirRequest, ctx: FhirContext, type: string, id: string): Promise<FhirResponse> {
  requireType(ctx, type, 'read');
  const { text, versionId, lastUpdated } = await ctx.repo.readResourceText(type, id);
  if (req.headers.ifNoneMatch && req.headers.ifNoneMatch.replace(/^W\//, '').replace(/"/g, '') === versionId) {
    return { status: 304, versionId, lastModified: lastUpdated };
  }
  if (!req.query.some(([k]) => k === '_summary' || k === '_elements')) {
    // Fast path: send the stored JSON text as is.
    return { status: 200, text, versionId, lastModified: lastUpdated };
  }
  return respond(JSON.parse(text) as Resource, req);
}

/**
 * `GET [type]/[id]/_history/[vid]` (https://hl7.org/fhir/R4/http.html#vread).
 * @param req - request.
 * @param ctx - context.
 * @param type - resource type.
 * @param id - id.
 * @param vid - version id.
 * @returns the response.
 */
export async function vreadInteraction(req: FhirRequest, ctx: FhirContext, type: string, id: string, vid: string): Promise<FhirResponse> {
  requireType(ctx, type, 'vread');
  if (!/^\d+$/.test(vid)) throw badRequest(`Version id must be a number, got "${vid}"`);
  return respond(await ctx.repo.readVersion(type, id, Number(vid)), req);
}
