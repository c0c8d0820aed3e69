import type { TypedValue } from '@medplum/core';
import type { SearchParamDef } from '../../../fhir/search/search-parameters.ts';
import type { SearchFilter } from '../../../fhir/search/search-request.ts';
import type { Owner, SqlParams } from '../../sql.ts';
import type { IndexRows } from '../index-rows.ts';

/** What a condition builder needs besides the filter. */
export interface ConditionContext {
  params: SqlParams;
  /** The server's FHIR base URL, so absolute references to ourselves match relative ones. */
  baseUrl: string;
  /** Builds the condition of a nested filter (chains and `_has`). */
  nested(filter: SearchFilter, owner: Owner): string;
  /** A fresh table alias. */
  alias(prefix: string): string;
}

/**
 * One search-parameter type: how to extract its index values on write and how to build its SQL condition on
 * read (DESIGN.md convention 4).
 */
export interface ParamTypeHandler {
  /** The index table holding this type's values. */
  table: string;
  /** Adds the index rows of the values an expression produced. */
  extract(def: SearchParamDef, values: TypedValue[], rows: IndexRows): void;
  /**
   * Builds the condition matching any of the filter's OR-ed values, against rows of `table` aliased `t`
   * (the caller wraps it in EXISTS with the owner join).
   */
  condition(filter: SearchFilter, t: string, ctx: ConditionContext): string;
}
