import { escapeLike } from '../../sql.ts';
import type { ParamTypeHandler } from './types.ts';

/** URI parameters: exact match, `:below` (prefix) and `:above` (https://hl7.org/fhir/R4/search.html#uri). */
export const uriParam: ParamTypeHandler = {
  table: 'sp_uri',
  extract(def, values, rows) {
    for (const tv of values) {
      if (typeof tv.value === 'string') rows.uri.push([def.code, tv.value]);
    }
  },
  condition(filter, t, ctx) {
    const p = ctx.params;
    const ors = filter.values.map((raw) => {
      if (filter.modifier === 'below') return `${t}.value LIKE ${p.add(`${escapeLike(raw)}%`)}`;
      if (filter.modifier === 'above') return `${p.add(raw)} LIKE (replace(replace(${t}.value, '%', '\\%'), '_', '\\_') || '%')`;
      return `${t}.value = ${p.add(raw)}`;
    });
    return ors.length === 1 ? (ors[0] as string) : `(${ors.join(' OR ')})`;
  },
};
