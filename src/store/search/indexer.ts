import { evalFhirPathTyped, toTypedValue, type TypedValue } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { SearchParameterRegistry } from '../../fhir/search/search-parameters.ts';
import { emptyIndexRows, type IndexRows } from './index-rows.ts';
import { PARAM_HANDLERS } from './params/index.ts';

/**
 * Extracts the search index rows of a resource by evaluating each applicable SearchParameter's FHIRPath
 * expression (https://hl7.org/fhir/R4/searchparameter.html) and letting the parameter type turn values into rows.
 * An expression that fails on unusual data indexes nothing for that parameter rather than failing the write.
 * @param resource - the resource being written.
 * @param registry - the search parameters.
 * @returns the rows to store.
 */
export function extractIndexRows(resource: Resource, registry: SearchParameterRegistry): IndexRows {
  const rows = emptyIndexRows();
  const input = [toTypedValue(resource)];
  const keys = Object.keys(resource);
  for (const def of registry.indexed(resource.resourceType)) {
    const handler = PARAM_HANDLERS[def.type];
    if (!handler) continue;
    // Skip expressions whose elements the resource does not have (most of them, for a typical resource).
    if (def.roots && !def.roots.some((r) => keys.some((k) => k === r || (k.startsWith(r) && /^[A-Z]/.test(k.slice(r.length)))))) continue;
    let values: TypedValue[];
    try {
      values = evalFhirPathTyped(def.atom, input);
    } catch {
      continue;
    }
    if (values.length) handler.extract(def, values, rows);
  }
  return rows;
}
