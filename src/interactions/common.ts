import type { Resource } from '@medplum/fhirtypes';
import { badRequest, informational, notFound, notSupported } from '../fhir/outcomes.ts';
import type { FhirContext, FhirRequest, FhirResponse } from './types.ts';

/**
 * Checks that a type is served and allows an interaction; 404 for unknown types
 * (https://hl7.org/fhir/R4/http.html#2.21.0.3), 405 when the type does not allow it.
 * @param ctx - context.
 * @param type - resource type from the URL.
 * @param interaction - CapabilityStatement interaction code.
 */
export function requireType(ctx: FhirContext, type: string, interaction: string): void {
  if (!ctx.services.resourceTypes.has(type)) throw notFound(`Resource type "${type}" is not supported by this server`);
  if (!ctx.services.resourceTypes.allows(type, interaction)) throw notSupported(`${interaction} is not allowed on ${type}`);
}

/**
 * Checks a request body is a resource of the expected type and, when an id is in the URL, that the ids agree.
 * @param body - the parsed body.
 * @param type - expected resource type.
 * @param id - id from the URL, if any.
 * @returns the resource.
 */
export function requireResourceBody(body: unknown, type: string, id?: string): Resource {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a FHIR resource (a JSON object)');
  const resource = body as Resource;
  if (resource.resourceType !== type) {
    throw badRequest(`resourceType "${String(resource.resourceType)}" does not match the URL type "${type}"`, 'resourceType');
  }
  if (id !== undefined && resource.id !== undefined && resource.id !== id) {
    throw badRequest(`Resource id "${resource.id}" does not match the URL id "${id}"`, `${type}.id`);
  }
  return resource;
}

/**
 * Parses a weak or strong ETag (`W/"3"`) into a version number (https://hl7.org/fhir/R4/http.html#concurrency).
 * @param etag - the If-Match header.
 * @returns the version, or undefined when absent.
 */
export function parseETag(etag: string | undefined): number | undefined {
  if (etag === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(etag.trim());
  if (!m) throw badRequest(`If-Match must be a version ETag like W/"1", got ${etag}`, 'If-Match');
  return Number(m[1]);
}

/**
 * Shapes a write's response per `Prefer: return=` (https://hl7.org/fhir/R4/http.html#ops).
 * @param req - the request (for its Prefer header).
 * @param status - status code.
 * @param resource - the stored resource.
 * @param baseUrl - FHIR base for the Location header.
 * @returns the response.
 */
export function writeResponse(req: FhirRequest, status: number, resource: Resource, baseUrl: string): FhirResponse {
  const versionId = resource.meta?.versionId;
  const base: FhirResponse = {
    status,
    location: `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`,
    versionId,
    lastModified: resource.meta?.lastUpdated,
  };
  const ret = /return=([a-zA-Z]+)/.exec(req.headers.prefer ?? '')?.[1];
  if (ret === 'minimal') return base;
  if (ret === 'OperationOutcome') return { ...base, resource: informational(`${resource.resourceType}/${resource.id} stored as version ${versionId}`) };
  return { ...base, resource };
}

/** @param req - a request. @returns true when the client asked for strict handling of unknown search parameters. */
export function isStrict(req: FhirRequest): boolean {
  return /handling=strict/.test(req.headers.prefer ?? '');
}

/**
 * Parses a query string (as in If-None-Exist or a conditional URL) into ordered pairs.
 * @param query - `a=1&b=2`, with or without a leading `?`.
 * @returns the pairs.
 */
export function parseQueryString(query: string): [string, string][] {
  return [...new URLSearchParams(query.replace(/^\?/, '')).entries()];
}
