import type { Period, Timing } from '@medplum/fhirtypes';
import { dateRange, periodRange, type DateRange } from '../../../fhir/search/date-range.ts';
import type { SearchFilter } from '../../../fhir/search/search-request.ts';
import { splitPrefix } from '../../../fhir/search/validate-values.ts';
import type { SqlParams } from '../../sql.ts';
import type { ConditionContext, ParamTypeHandler } from './types.ts';

const DAY = 86_400_000;

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

/** @param r - a stored range. @returns true when it spans at most one day. */
function isNarrow(r: DateRange): boolean {
  const span = Date.parse(r.high) - Date.parse(r.low);
  return Number.isFinite(span) && span <= DAY;
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
      const w = widen(s);
      return `(${low} < ${p.add(w.high)}::timestamptz AND ${high} > ${p.add(w.low)}::timestamptz)`;
    }
    default:
      return contained();
  }
}

/** `ap`: the search range widened by 10% of its distance from now. */
function widen(s: DateRange): DateRange {
  const gap = Math.abs(Date.now() - Date.parse(s.low)) * 0.1;
  return { low: new Date(Date.parse(s.low) - gap).toISOString(), high: new Date(Date.parse(s.high) + gap).toISOString() };
}

/**
 * Bounds on `low` that every narrow stored value (span at most a day, so low > high - 1 day) matching the prefix
 * must satisfy. They add nothing logically but let the index on (code, narrow, low) answer with a range scan.
 * @param prefix - search prefix.
 * @param s - search range.
 * @returns lower and upper bounds on low, as epoch milliseconds.
 */
export function narrowBounds(prefix: string, s: DateRange): { lower?: number; upper?: number } {
  const lo = Date.parse(s.low);
  const hi = Date.parse(s.high);
  switch (prefix) {
    case 'eq':
      return { lower: lo, upper: hi };
    case 'gt':
      return { lower: hi - DAY };
    case 'ge':
      return { lower: lo - DAY };
    case 'lt':
    case 'eb':
      return { upper: lo };
    case 'le':
      return { upper: hi };
    case 'sa':
      return { lower: hi };
    case 'ap': {
      const w = widen(s);
      return { lower: Date.parse(w.low) - DAY, upper: Date.parse(w.high) };
    }
    default:
      return {};
  }
}

/**
 * The condition of several AND-ed date filters on one parameter, evaluated against the same stored value, with
 * index-friendly bounds for narrow values: `date=ge2020-01-01&date=lt2020-02-01` becomes one range scan.
 * @param filters - the filters (same code, no modifier).
 * @param t - alias of the sp_date row.
 * @param ctx - condition context.
 * @param narrowOnly - true when no stored value of this parameter spans more than a day.
 * @returns the SQL condition.
 */
export function combinedDateCondition(filters: SearchFilter[], t: string, ctx: ConditionContext, narrowOnly = false): string {
  let lower = -Infinity;
  let upper = Infinity;
  const ands: string[] = [];
  for (const f of filters) {
    let fLower = Infinity;
    let fUpper = -Infinity;
    const ors = f.values.map((raw) => {
      const { prefix, value } = splitPrefix(raw);
      const r = dateRange(value) as DateRange;
      const b = narrowBounds(prefix, r);
      fLower = Math.min(fLower, b.lower ?? -Infinity);
      fUpper = Math.max(fUpper, b.upper ?? Infinity);
      return rangeComparison(prefix, `${t}.low`, `${t}.high`, r, ctx.params);
    });
    lower = Math.max(lower, fLower);
    upper = Math.min(upper, fUpper);
    ands.push(ors.length === 1 ? (ors[0] as string) : `(${ors.join(' OR ')})`);
  }
  const all = ands.join(' AND ');
  const hints: string[] = [];
  if (Number.isFinite(lower)) hints.push(`${t}.low >= ${ctx.params.add(new Date(lower).toISOString())}::timestamptz`);
  if (Number.isFinite(upper)) hints.push(`${t}.low < ${ctx.params.add(new Date(upper).toISOString())}::timestamptz`);
  if (!hints.length) return all;
  // When the parameter has no wide values at all, the narrow branch alone is exact and a plain range scan.
  if (narrowOnly) return `${t}.narrow AND ${hints.join(' AND ')} AND ${all}`;
  return `((${t}.narrow AND ${hints.join(' AND ')} AND ${all}) OR (NOT ${t}.narrow AND ${all}))`;
}

/** Date parameters over date, dateTime, instant, Period and Timing (https://hl7.org/fhir/R4/search.html#date). */
export const dateParam: ParamTypeHandler = {
  table: 'sp_date',
  extract(def, values, rows) {
    for (const tv of values) {
      const r = valueRange(tv.type, tv.value);
      if (r) rows.date.push([def.code, r.low, r.high, isNarrow(r)]);
    }
  },
  condition(filter, t, ctx) {
    return combinedDateCondition([filter], t, ctx);
  },
};
