import { doubleMetaphone } from 'double-metaphone';

/**
 * Folds a string for search: case- and accent-insensitive, as FHIR string search requires
 * (https://hl7.org/fhir/R4/search.html#string: "case-insensitive and accent-insensitive").
 * @param value - any text.
 * @returns the folded text.
 */
export function normalizeForSearch(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Phonetic keys of a name for the `phonetic` parameter: the Double Metaphone primary and alternate codes of each
 * word, so "Schmidt" and "Smith", or "Jon" and "John", meet.
 * @param value - a name or name part.
 * @returns distinct phonetic keys.
 */
export function phoneticKeys(value: string): string[] {
  const keys = new Set<string>();
  for (const word of normalizeForSearch(value).split(/[\s-]+/)) {
    if (!word) continue;
    for (const k of doubleMetaphone(word)) if (k) keys.add(k);
  }
  return [...keys];
}
