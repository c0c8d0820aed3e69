import type { SearchParamDef } from './search-parameters.ts';

/** Comparison prefixes of number, date and quantity parameters (https://hl7.org/fhir/R4/search.html#prefix). */
export type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

/** One condition of a search: a parameter, its modifier, and OR-ed values. */
export interface SearchFilter {
  /** The parameter name as written, without modifier. */
  code: string;
  /** The resolved definition (absent for `_id`, `_lastUpdated` handled by columns, which still get a synthetic one). */
  def: SearchParamDef;
  /** Modifier after `:` (`exact`, `contains`, `missing`, `not`, `text`, `of-type`, `identifier`, `below`…), or a type for references. */
  modifier?: string;
  /** OR-ed values, unescaped (https://hl7.org/fhir/R4/search.html#escaping). */
  values: string[];
  /** For a chained parameter (`patient.family=x`): the target type and the condition on it. */
  chain?: { targetType: string; filter: SearchFilter };
  /** For reverse chaining (`_has:Immunization:patient:vaccine-code=08`). */
  has?: { sourceType: string; referenceCode: string; filter: SearchFilter };
}

/** A sort key (https://hl7.org/fhir/R4/search.html#sort). */
export interface SortRule {
  def: SearchParamDef;
  descending: boolean;
}

/** `_include` / `_revinclude` (https://hl7.org/fhir/R4/search.html#include). */
export interface IncludeRule {
  sourceType: string;
  /** Reference parameter, or `*` for all. */
  code: string;
  targetType?: string;
  iterate: boolean;
}

/** `_summary` values (https://hl7.org/fhir/R4/search.html#summary). */
export type SummaryMode = 'true' | 'text' | 'data' | 'count' | 'false';

/** A parsed and validated search. */
export interface SearchRequest {
  /** The types searched: one for a type-level search, several for `_type` or none for all. */
  resourceTypes: string[];
  /** AND-ed filters. */
  filters: SearchFilter[];
  sort: SortRule[];
  count: number;
  offset: number;
  /** Keyset position for the default order: after or before an id (stable paging). */
  cursor?: { direction: 'after' | 'before'; id: string };
  /** Snapshot of a sorted search's results (stable paging of `_sort` searches). */
  pageToken?: string;
  total: 'none' | 'estimate' | 'accurate';
  summary?: SummaryMode;
  elements?: string[];
  include: IncludeRule[];
  revinclude: IncludeRule[];
  /** Parameters that were not understood and were ignored (lenient handling). */
  ignored: string[];
  /** Normalised query string of what was applied, for the self link. */
  applied: [string, string][];
  /** For a compartment search (`Patient/123/Immunization`). */
  compartment?: { type: string; id: string; codes: string[] };
}

/**
 * Which resources of one type a caller may reach: all, none, or those matching any of the alternatives (each an
 * AND of filters). The store turns it into SQL, so access control is part of every query, never a filter applied
 * to results afterwards.
 */
export type AccessRule = 'all' | 'none' | SearchFilter[][];

/** The access restriction a repository applies to reads and searches (`r`, `s`) and to writes (`c`, `u`, `d`). */
export interface AccessRestriction {
  /**
   * @param type - resource type.
   * @param perm - SMART permission: c, r, u, d or s.
   * @returns the rule for that type and permission.
   */
  rule(type: string, perm: 'c' | 'r' | 'u' | 'd' | 's'): AccessRule;
}
