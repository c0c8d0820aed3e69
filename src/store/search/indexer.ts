import { evalFhirPathTyped, toTypedValue, type TypedValue } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { SearchParameterRegistry } from '../../fhir/search/search-parameters.ts';
import { walkPlainPath } from '../../fhir/search/plain-path.ts';
import { emptyIndexRows, type IndexRows } from './index-rows.ts';
import { PARAM_HANDLERS } from './params/index.ts';

/**
 * Extracts the search index rows of a resource by evaluating each applicable SearchParameter's FHIRPath
 * expression (https://hl7.org/fhir/R4/searchparameter.html) and letting the parameter type turn values into rows.
 * Plain element paths are walked directly (walkPlainPath); everything else goes through the FHIRPath engine.
 * An expression that fails on unusual data indexes nothing for that parameter rather than failing the write.
 * @param resource - the resource being written.
 * @param registry - the search parameters.
 * @returns the rows to store.
 */
export function extractIndexRows(resource: Resource, registry: SearchParameterRegistry): IndexRows {
  const rows = emptyIndexRows();
  const input = [toTypedValue(resource)];
  const present = presentRoots(resource);
  for (const def of registry.indexed(resource.resourceType)) {
    const handler = PARAM_HANDLERS[def.type];
    if (!handler) continue;
    // Skip expressions whose elements the resource does not have (most of them, for a typical resource).
    if (def.roots && !def.roots.some((r) => present.has(r))) continue;
    let values: TypedValue[] | undefined = def.plainPath ? walkPlainPath(resource, def.plainPath) : undefined;
    try {
      values ??= evalFhirPathTyped(def.atom, input);
    } catch {
      continue;
    }
    if (values.length) handler.extract(def, values, rows);
  }
  return withoutRepeats(rows);
}

/**
 * Drops repeated rows: every condition on an index table asks whether some row of the resource matches, so a
 * second identical row answers nothing new and only costs an insert. They are common: an ImmunizationRecommendation
 * repeats each forecast status and its text once per vaccine group (about 25 of its 100 token rows).
 */
function withoutRepeats(rows: IndexRows): IndexRows {
  for (const table of Object.keys(rows) as (keyof IndexRows)[]) {
    const list: unknown[][] = rows[table];
    if (list.length < 2) continue;
    const seen = new Set<string>();
    const kept = list.filter((row) => {
      const key = row.map((v) => (v === null ? '\u0001' : String(v))).join('\u0000');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (kept.length < list.length) (rows as Record<keyof IndexRows, unknown[][]>)[table] = kept;
  }
  rows.token = withoutRedundantText(rows.token);
  return rows;
}

/**
 * Drops the text-only token rows (a CodeableConcept's `text`: no system, no code) whose text a coded row of the
 * same parameter already carries as its display. Only `:text` reads a text-only row, and it matches the display of
 * any row of the parameter, so such a row finds nothing the coded one does not; `:missing` still sees the coded
 * row. An ImmunizationRecommendation names each vaccine group in its coding's display and again in the text.
 */
function withoutRedundantText(token: IndexRows['token']): IndexRows['token'] {
  const textOnly = (r: IndexRows['token'][number]): boolean => r[1] === null && r[2] === null && r[4] === null && r[5] === null && r[3] !== null;
  if (!token.some(textOnly)) return token;
  const coded = new Set(token.filter((r) => !textOnly(r) && r[3] !== null).map((r) => `${r[0]}\u0000${r[3]}`));
  const kept = token.filter((r) => !textOnly(r) || !coded.has(`${r[0]}\u0000${r[3]}`));
  return kept.length < token.length ? kept : token;
}

/**
 * The element names a resource has at its top level, each also under the names of the choice elements it may be
 * (`occurrenceDateTime` is also `occurrence`; `multipleBirthBoolean` also `multiple` and `multipleBirth`): every
 * prefix that ends before a capital letter.
 */
function presentRoots(resource: Resource): Set<string> {
  const present = new Set<string>();
  for (const key of Object.keys(resource)) {
    present.add(key);
    for (let i = 1; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c >= 65 && c <= 90) present.add(key.slice(0, i));
    }
  }
  return present;
}
