import { tryGetDataType } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { SummaryMode } from './search/search-request.ts';

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED', display: 'subsetted' };

function markSubsetted(resource: Record<string, unknown>): void {
  const meta = { ...((resource.meta as Record<string, unknown> | undefined) ?? {}) };
  const tags = (meta.tag as { system?: string; code?: string }[] | undefined) ?? [];
  if (!tags.some((t) => t.code === 'SUBSETTED')) meta.tag = [...tags, SUBSETTED];
  resource.meta = meta;
}

/** True when `key` is `name` or a choice-type form of it (`occurrenceDateTime` for `occurrence`). */
function isElement(key: string, names: Set<string>): boolean {
  if (names.has(key)) return true;
  for (const n of names) {
    if (key.length > n.length && key.startsWith(n) && /^[A-Z]/.test(key.slice(n.length))) return true;
  }
  return false;
}

function keep(resource: Resource, allowed: (key: string) => boolean): Resource {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) {
    if (allowed(k)) out[k] = v;
  }
  markSubsetted(out);
  return out as unknown as Resource;
}

/**
 * Applies `_summary` to a resource (https://hl7.org/fhir/R4/search.html#summary): `true` keeps the elements marked
 * isSummary in the R4 definitions, `text` keeps text, id, meta and mandatory elements, `data` drops the narrative.
 * Subsetted resources are tagged SUBSETTED as the specification requires.
 * @param resource - the full resource.
 * @param mode - the summary mode.
 * @returns the subset.
 */
export function applySummary(resource: Resource, mode: SummaryMode | undefined): Resource {
  if (!mode || mode === 'false' || mode === 'count') return resource;
  const schema = tryGetDataType(resource.resourceType);
  const mandatory = schema?.mandatoryProperties ?? new Set<string>();
  const base = (k: string): boolean => k === 'resourceType' || k === 'id' || k === 'meta' || isElement(k, mandatory);
  switch (mode) {
    case 'true': {
      const summary = schema?.summaryProperties ?? new Set<string>();
      return keep(resource, (k) => base(k) || isElement(k, summary));
    }
    case 'text':
      return keep(resource, (k) => base(k) || k === 'text');
    case 'data':
      return keep(resource, (k) => k !== 'text');
  }
  return resource;
}

/**
 * Applies `_elements` (https://hl7.org/fhir/R4/search.html#elements): keeps the listed top-level elements plus
 * the mandatory ones, and tags the result SUBSETTED.
 * @param resource - the full resource.
 * @param elements - element names, e.g. `["vaccineCode", "occurrence"]`.
 * @returns the subset.
 */
export function applyElements(resource: Resource, elements: string[] | undefined): Resource {
  if (!elements?.length) return resource;
  const mandatory = tryGetDataType(resource.resourceType)?.mandatoryProperties ?? new Set<string>();
  const wanted = new Set(elements.map((e) => e.replace(/^[A-Z][A-Za-z]+\./, '')));
  return keep(resource, (k) => k === 'resourceType' || k === 'id' || k === 'meta' || isElement(k, mandatory) || isElement(k, wanted));
}
