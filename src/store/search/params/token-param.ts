import type { CodeableConcept, Coding, ContactPoint, Identifier } from '@medplum/fhirtypes';
import { normalizeForSearch } from '../../../fhir/search/normalize.ts';
import { escapeLike } from '../../sql.ts';
import type { IndexRows } from '../index-rows.ts';
import type { ParamTypeHandler } from './types.ts';

function addCoding(rows: IndexRows, code: string, c: Coding): void {
  rows.token.push([code, c.system ?? null, c.code ?? null, c.display ? normalizeForSearch(c.display) : null, null, null]);
}

/** Splits `system|code` on the first unescaped bar; `\|` stays a literal bar. */
function splitToken(raw: string): { system?: string | null; code?: string } {
  const i = raw.search(/(?<!\\)\|/);
  const unescape = (s: string): string => s.replace(/\\\|/g, '|');
  if (i < 0) return { code: unescape(raw) };
  const system = unescape(raw.slice(0, i));
  const code = unescape(raw.slice(i + 1));
  return { system: system === '' ? null : system, ...(code !== '' ? { code } : {}) };
}

/**
 * Token parameters (https://hl7.org/fhir/R4/search.html#token): `code`, `system|code`, `|code`, `system|`, with
 * `:not`, `:text` (display or CodeableConcept.text, starts-with) and `:of-type` on identifiers (`system|code|value`).
 */
export const tokenParam: ParamTypeHandler = {
  table: 'sp_token',
  extract(def, values, rows) {
    for (const tv of values) {
      const v = tv.value as unknown;
      switch (tv.type) {
        case 'Coding':
          addCoding(rows, def.code, v as Coding);
          break;
        case 'CodeableConcept': {
          const cc = v as CodeableConcept;
          for (const c of cc.coding ?? []) addCoding(rows, def.code, c);
          if (cc.text) rows.token.push([def.code, null, null, normalizeForSearch(cc.text), null, null]);
          break;
        }
        case 'Identifier': {
          const id = v as Identifier;
          const types = id.type?.coding?.length ? id.type.coding : [undefined];
          for (const tc of types) {
            rows.token.push([def.code, id.system ?? null, id.value ?? null, id.type?.text ? normalizeForSearch(id.type.text) : null, tc?.system ?? null, tc?.code ?? null]);
          }
          break;
        }
        case 'ContactPoint': {
          const cp = v as ContactPoint;
          if (cp.value) rows.token.push([def.code, cp.system ?? null, cp.value, null, null, null]);
          break;
        }
        case 'boolean':
          rows.token.push([def.code, null, String(v), null, null, null]);
          break;
        default:
          if (typeof v === 'string' || typeof v === 'number') rows.token.push([def.code, null, String(v), null, null, null]);
      }
    }
  },
  condition(filter, t, ctx) {
    const p = ctx.params;
    const ors = filter.values.map((raw) => {
      if (filter.modifier === 'text') return `${t}.display LIKE ${p.add(`${escapeLike(normalizeForSearch(raw))}%`)}`;
      if (filter.modifier === 'of-type') {
        const [system, code, value] = raw.split('|');
        return `(${t}.type_system = ${p.add(system ?? '')} AND ${t}.type_code = ${p.add(code ?? '')} AND ${t}.value = ${p.add(value ?? '')})`;
      }
      const { system, code } = splitToken(raw);
      const parts: string[] = [];
      if (code !== undefined) parts.push(`${t}.value = ${p.add(code)}`);
      if (system === null) parts.push(`${t}.system IS NULL`);
      else if (system !== undefined) parts.push(`${t}.system = ${p.add(system)}`);
      return parts.length ? `(${parts.join(' AND ')})` : 'true';
    });
    return ors.length === 1 ? (ors[0] as string) : `(${ors.join(' OR ')})`;
  },
};
