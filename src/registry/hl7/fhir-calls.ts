import type { Bundle, Resource } from '@medplum/fhirtypes';
import { handleFhirRequest } from '../../interactions/router.ts';
import type { FhirContext, FhirMethod } from '../../interactions/types.ts';

/**
 * Runs a FHIR search through the interactions (so access rules and the audit trail apply as for REST).
 * @param ctx - the caller's context.
 * @param type - resource type.
 * @param query - search parameters.
 * @param internal - a lookup for the server's own matching, whose results the sender never sees (not audited).
 * @returns the matching resources (no includes).
 */
export async function searchFhir<T extends Resource>(ctx: FhirContext, type: string, query: [string, string][], internal = false): Promise<T[]> {
  const res = await handleFhirRequest({ method: 'GET', path: type, query, headers: {} }, internal ? { ...ctx, internalLookup: true } : ctx);
  return ((res.resource as Bundle).entry ?? []).filter((e) => e.search?.mode !== 'include').map((e) => e.resource as T);
}

/**
 * Writes a resource through the interactions (validation, access rules, forecast refresh and audit as for REST).
 * @param ctx - the caller's context.
 * @param method - POST to create (with the resource's id when it has one), PUT to update.
 * @param resource - the resource (with its id for PUT).
 * @returns the stored resource.
 */
export async function writeFhir<T extends Resource>(ctx: FhirContext, method: Extract<FhirMethod, 'POST' | 'PUT'>, resource: T): Promise<T> {
  const path = method === 'PUT' ? `${resource.resourceType}/${resource.id}` : resource.resourceType;
  // A POST of a resource with an id chosen in advance (a new patient) creates it with that id, as a transaction
  // bundle entry does, without the lookup of a PUT.
  const assigned = method === 'POST' && resource.id ? { assignedId: resource.id } : {};
  const res = await handleFhirRequest({ method, path, query: [], headers: { prefer: 'return=representation' }, body: resource, ...assigned }, ctx);
  return res.resource as T;
}
