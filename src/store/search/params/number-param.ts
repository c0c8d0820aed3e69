import type { Quantity } from '@medplum/fhirtypes';
import { splitPrefix } from '../../../fhir/search/validate-values.ts';
import type { SqlParams } from '../../sql.ts';
import type { ParamTypeHandler } from './types.ts';

/**
 * The implicit range of a decimal at its precision: `100` is [99.5, 100.5), `1.50` is [1.495, 1.505)
 * (https://hl7.org/fhir/R4/search.html#number).
 * @param text - the number as written.
 * @returns low and high bounds.
 */
export function numberRange(text: string): { low: number; high: number } {
  const value = Number(text);
  const mantissa = text.replace(/^[+-]/, '').split(/[eE]/)[0] ?? '';
  const exp = Number(text.split(/[eE]/)[1] ?? 0);
  const decimals = (mantissa.split('.')[1] ?? '').length;
  const half = 0.5 * 10 ** (-decimals + exp);
  return { low: value - half, high: value + half };
}

/**
 * Compares a stored number column against a prefixed search number.
 * @param prefix - search prefix.
 * @param col - SQL of the stored value.
 * @param text - the search number as written.
 * @param p - parameter collector.
 * @returns the SQL condition.
 */
export function numberComparison(prefix: string, col: string, text: string, p: SqlParams): string {
  const exact = (): string => `${p.add(Number(text))}::numeric`;
  const r = numberRange(text);
  switch (prefix) {
    case 'ne':
      return `NOT (${col} >= ${p.add(r.low)} AND ${col} < ${p.add(r.high)})`;
    case 'gt':
    case 'sa':
      return `${col} > ${exact()}`;
    case 'lt':
    case 'eb':
      return `${col} < ${exact()}`;
    case 'ge':
      return `${col} >= ${exact()}`;
    case 'le':
      return `${col} <= ${exact()}`;
    case 'ap': {
      const v = Number(text);
      const d = Math.abs(v) * 0.1;
      return `(${col} >= ${p.add(v - d)} AND ${col} <= ${p.add(v + d)})`;
    }
    default:
      return `(${col} >= ${p.add(r.low)} AND ${col} < ${p.add(r.high)})`;
  }
}

/** Number parameters with prefixes (https://hl7.org/fhir/R4/search.html#number). */
export const numberParam: ParamTypeHandler = {
  table: 'sp_number',
  extract(def, values, rows) {
    for (const tv of values) {
      if (typeof tv.value === 'number') rows.number.push([def.code, tv.value, tv.value]);
    }
  },
  condition(filter, t, ctx) {
    const ors = filter.values.map((raw) => {
      const { prefix, value } = splitPrefix(raw);
      return numberComparison(prefix, `${t}.low`, value, ctx.params);
    });
    return ors.length === 1 ? (ors[0] as string) : `(${ors.join(' OR ')})`;
  },
};

/** Quantity parameters `[prefix]number|system|code` (https://hl7.org/fhir/R4/search.html#quantity). */
export const quantityParam: ParamTypeHandler = {
  table: 'sp_quantity',
  extract(def, values, rows) {
    for (const tv of values) {
      const q = tv.value as Quantity;
      if (typeof q?.value === 'number') rows.quantity.push([def.code, q.value, q.value, q.system ?? null, q.code ?? q.unit ?? null]);
    }
  },
  condition(filter, t, ctx) {
    const p = ctx.params;
    const ors = filter.values.map((raw) => {
      const { prefix, value } = splitPrefix(raw);
      const [num, system, code] = value.split('|');
      const parts = [numberComparison(prefix, `${t}.low`, num as string, p)];
      if (system) parts.push(`${t}.system = ${p.add(system)}`);
      if (code) parts.push(`${t}.unit = ${p.add(code)}`);
      return `(${parts.join(' AND ')})`;
    });
    return ors.length === 1 ? (ors[0] as string) : `(${ors.join(' OR ')})`;
  },
};
