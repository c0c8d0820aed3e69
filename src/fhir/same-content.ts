import type { Resource } from '@medplum/fhirtypes';
import { isDeepStrictEqual } from 'node:util';

/**
 * Whether writing `next` over `stored` would change nothing but the version stamp (`meta.versionId`,
 * `meta.lastUpdated`), so the write can be skipped and the history keeps only real changes: the no-op update of
 * FHIR servers that suppress versions without changes. With `ignoreMeta`, the rest of `meta` is not compared either,
 * for callers that know the write would set it as it already is.
 * @param stored - the current version.
 * @param next - the content about to be written.
 * @param options - whether to leave all of `meta` out of the comparison.
 * @returns true when the two have the same content.
 */
export function sameContent(stored: Resource, next: Resource, options: { ignoreMeta?: boolean } = {}): boolean {
  return isDeepStrictEqual(comparable(stored, options.ignoreMeta), comparable(next, options.ignoreMeta));
}

function comparable(resource: Resource, ignoreMeta = false): object {
  const { meta, ...rest } = resource;
  if (!meta || ignoreMeta) return rest;
  const { versionId: _v, lastUpdated: _l, ...kept } = meta;
  return Object.keys(kept).length ? { ...rest, meta: kept } : rest;
}
