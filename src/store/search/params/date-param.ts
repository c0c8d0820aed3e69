import type { Period, Timing } from '@medplum/fhirtypes';
import { dateRange, periodRange, type DateRange } from '../../../fhir/search/date-range.ts';
import { splitPrefix } from '../../../fhir/search/validate-values.ts';
import type { SqlParams } from '../../sql.ts';
import type { ParamTypeHandler } from './types.ts';

function valueRange(type: string, v: unknown): DateRange | undefined {
  if (typeof v === 'string') return dateRange(v);
  if (type === 'Period') return periodRange((v as Period).start, (v as Period).end);
  if (type === 'Timing') {
    const events = ((v as Timing).event ?? []).map((e) => dateRange(e)).filter((r): r is DateRange => !!r);
    if (!events.length) return undefined;
    return { low: events.map((e) => e.low).sort()[0] as string, high: events.map((e) => e.high).sort().at(-1) as string };
  }
  return undefined;
}

/**
 * The comparison of a stored range [low, high) with a search range per prefix
 * (https://hl7.org/fhir/R4/search.html#prefix, ranges in #date).
 * @param prefix - the search prefix.
 * @param low - SQL of the stored lower bound.
 * @param high - SQL of the stored (exclusive) upper bound.
 * @param s - the search value's range.
 * @param p - parameter collector.
 * @returns the SQL condition.
 */
export function rangeComparison(prefix: string, low: string, high: string, s: DateRange, p: SqlParams): string {
  // Parameters are added only when used: PostgreSQL rejects a parameter it cannot type.
  const sLow = (): string => `${p.add(s.low)}::timestamptz`;
  const sHigh = (): string => `${p.add(s.high)}::timestamptz`;
  const contained = (): string => `(${low} >= ${sLow()} AND ${high} <= ${sHigh()})`;
  switch (prefix) {
    case 'ne':
      return `NOT ${contained()}`;
    case 'gt':
      return `${high} > ${sHigh()}`;
    case 'lt':
      return `${low} < ${sLow()}`;
    case 'ge':
      return `(${high} > ${sHigh()} OR ${contained()})`;
    case 'le':
      return `(${low} < ${sLow()} OR ${contained()})`;
    case 'sa':
      return `${low} >= ${sHigh()}`;
    case 'eb':
      return `${high} <= ${sLow()}`;
    case 'ap': {
      // Approximately: the ranges overlap once the search range is widened by 10% of its distance from now.
      const now = Date.now();
      const gap = Math.abs(now - Date.parse(s.low)) * 0.1;
      const wLow = `${p.add(new Date(Date.parse(s.low) - gap).toISOString())}::timestamptz`;
      const wHigh = `${p.add(new Date(Date.parse(s.high) + gap).toISOString())}::timestamptz`;
      return `(${low} < ${wHigh} AND ${high} > ${wLow})`;
    }
    default:
      return contained();
  }
}

/** Date parameters over date, dateTime, instant, Period and Timing (https://hl7.org/fhir/R4/search.html#date). */
export const dateParam: ParamTypeHandler = {
  table: 'sp_date',
  extract(def, values, rows) {
    for (const tv of values) {
      const r = valueRange(tv.type, tv.value);
      if (r) rows.date.push([def.code, r.low, r.high]);
    }
  },
  condition(filter, t, ctx) {
    const ors = filter.values.map((raw) => {
      const { prefix, value } = splitPrefix(raw);
      const r = dateRange(value) as DateRange;
      return rangeComparison(prefix, `${t}.low`, `${t}.high`, r, ctx.params);
    });
    return ors.length === 1 ? (ors[0] as string) : `(${ors.join(' OR ')})`;
  },
};
