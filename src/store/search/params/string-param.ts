import type { HumanName, Address } from '@medplum/fhirtypes';
import { normalizeForSearch, phoneticKeys } from '../../../fhir/search/normalize.ts';
import { escapeLike } from '../../sql.ts';
import type { ParamTypeHandler } from './types.ts';

function nameParts(name: HumanName): string[] {
  return [name.text, name.family, ...(name.given ?? []), ...(name.prefix ?? []), ...(name.suffix ?? [])].filter((s): s is string => !!s);
}

function addressParts(a: Address): string[] {
  return [a.text, ...(a.line ?? []), a.city, a.district, a.state, a.postalCode, a.country].filter((s): s is string => !!s);
}

/**
 * String parameters (https://hl7.org/fhir/R4/search.html#string): case- and accent-insensitive starts-with by
 * default, `:exact` for exact match, `:contains` anywhere. HumanName and Address match on any of their parts.
 * The phonetic parameter stores Double Metaphone keys instead of text.
 */
export const stringParam: ParamTypeHandler = {
  table: 'sp_string',
  extract(def, values, rows) {
    for (const tv of values) {
      const v = tv.value as unknown;
      let parts: string[] = [];
      if (tv.type === 'HumanName') parts = nameParts(v as HumanName);
      else if (tv.type === 'Address') parts = addressParts(v as Address);
      else if (typeof v === 'string') parts = [v];
      for (const p of parts) {
        if (def.phonetic) {
          for (const k of phoneticKeys(p)) rows.string.push([def.code, k, k]);
        } else {
          rows.string.push([def.code, p, normalizeForSearch(p)]);
        }
      }
    }
  },
  condition(filter, t, ctx) {
    const ors = filter.values.map((raw) => {
      if (filter.def.phonetic) {
        const keys = phoneticKeys(raw);
        return keys.length ? `${t}.norm = ANY(${ctx.params.add(keys)}::text[])` : 'false';
      }
      if (filter.modifier === 'exact') return `${t}.value = ${ctx.params.add(raw)}`;
      const norm = escapeLike(normalizeForSearch(raw));
      const pattern = filter.modifier === 'contains' ? `%${norm}%` : `${norm}%`;
      return `${t}.norm LIKE ${ctx.params.add(pattern)}`;
    });
    return ors.length === 1 ? (ors[0] as string) : `(${ors.join(' OR ')})`;
  },
};
