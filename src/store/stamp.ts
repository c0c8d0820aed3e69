import type { Resource } from '@medplum/fhirtypes';

/**
 * The stored form of a version: the resource with its id and `meta.versionId`/`meta.lastUpdated` set by the
 * server (https://hl7.org/fhir/R4/resource.html#Meta), the rest of `meta` kept.
 * @param resource - the resource as written.
 * @param id - its id.
 * @param versionId - the new version number.
 * @param lastUpdated - the instant of the write (now by default).
 * @returns a new object; the input is not modified.
 */
export function stampVersion<T extends Resource>(resource: T, id: string, versionId: number, lastUpdated = new Date().toISOString()): T {
  return { ...resource, id, meta: { ...resource.meta, versionId: String(versionId), lastUpdated } };
}
