import { tryGetDataType, type TypedValue } from '@medplum/core';

/** A SearchParameter expression that is a plain walk down single-typed elements (`Immunization.vaccineCode`). */
export interface PlainPath {
  /** The element names after the resource type. */
  steps: string[];
  /** The FHIR type of the last element, as FHIRPath's typed evaluation names it. */
  type: string;
}

const PLAIN = /^[A-Z][A-Za-z]+(\.[a-z][A-Za-z]*)+$/;

/**
 * Recognises an expression that FHIRPath evaluates as nothing more than "collect this element of every item, then
 * flatten" (FHIRPath §5.1 path selection, http://hl7.org/fhirpath/N1/#path-selection): a dotted path from the
 * resource type whose every step is an element with exactly one type in the R4 StructureDefinitions (no choice
 * elements such as `occurrence[x]`, no functions, no unions). Most search parameters are such paths; the indexer walks
 * them directly instead of through the general FHIRPath engine, which spends most of its time on type bookkeeping.
 * Needs the StructureDefinitions indexed in @medplum/core; without them nothing is plain.
 * @param expression - an expression restricted to one resource type.
 * @param resourceType - that type.
 * @returns the steps and final type, or undefined when the expression needs the FHIRPath engine.
 */
export function plainPathOf(expression: string, resourceType: string): PlainPath | undefined {
  if (!PLAIN.test(expression)) return undefined;
  const [head, ...steps] = expression.split('.');
  if (head !== resourceType) return undefined;
  let type = resourceType;
  for (const step of steps) {
    const element = tryGetDataType(type)?.elements[step];
    const types = element?.type ?? [];
    if (types.length !== 1 || !types[0]?.code) return undefined;
    type = types[0].code;
  }
  return { steps, type };
}

/**
 * Evaluates a plain path on a resource, giving what FHIRPath's typed evaluation gives: the values of the last
 * element, arrays flattened, in document order, each with the element's type.
 * @param resource - the resource.
 * @param path - a path from {@link plainPathOf}.
 * @returns the values, or undefined when an element on the way carries primitive extensions (`_name`), whose merging
 *   is left to the FHIRPath engine.
 */
export function walkPlainPath(resource: object, path: PlainPath): TypedValue[] | undefined {
  let items: unknown[] = [resource];
  for (const step of path.steps) {
    const next: unknown[] = [];
    for (const item of items) {
      if (item === null || typeof item !== 'object') continue;
      const record = item as Record<string, unknown>;
      if (record[`_${step}`] !== undefined) return undefined;
      const value = record[step];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        for (const v of value) if (v !== undefined && v !== null) next.push(v);
      } else next.push(value);
    }
    if (!next.length) return [];
    items = next;
  }
  return items.map((value) => ({ type: path.type, value }));
}
