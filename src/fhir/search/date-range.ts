/** A half-open instant range [low, high) as ISO strings; high may be `infinity`, low `-infinity`. */
export interface DateRange {
  low: string;
  high: string;
}

const RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The implicit range of a date, dateTime or instant at its precision (https://hl7.org/fhir/R4/search.html#date):
 * `2020` is all of 2020, `2020-03-04T10:00` is that minute. Values without a zone are taken as UTC.
 * @param value - a FHIR date/dateTime/instant.
 * @returns the range, or undefined when the value is not a date.
 */
export function dateRange(value: string): DateRange | undefined {
  const m = RE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const year = Number(y);
  if (!mo) return { low: utc(year, 0, 1), high: utc(year + 1, 0, 1) };
  const month = Number(mo) - 1;
  if (!d) return { low: utc(year, month, 1), high: utc(year, month + 1, 1) };
  const day = Number(d);
  if (!h) return { low: utc(year, month, day), high: utc(year, month, day + 1) };
  const offsetMin = tz && tz !== 'Z' ? (tz.startsWith('-') ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6))) : 0;
  const base = Date.UTC(year, month, day, Number(h), Number(mi)) - offsetMin * 60_000;
  if (!s) return { low: iso(base), high: iso(base + 60_000) };
  const sec = base + Number(s) * 1000;
  if (!frac) return { low: iso(sec), high: iso(sec + 1000) };
  const digits = frac.length - 1;
  const ms = Math.floor(Number(frac) * 1000);
  const step = digits >= 3 ? 1 : 10 ** (3 - digits);
  return { low: iso(sec + ms), high: iso(sec + ms + step) };
}

function utc(y: number, m: number, d: number): string {
  return iso(Date.UTC(y, m, d));
}

function iso(ms: number): string {
  const date = new Date(ms);
  // Years outside 0000-9999 are not FHIR dates; clamp so PostgreSQL accepts them.
  return Number.isNaN(date.getTime()) ? '-infinity' : date.toISOString();
}

/**
 * The range covered by a Period (open ends are unbounded).
 * @param start - Period.start.
 * @param end - Period.end.
 * @returns the range, or undefined when neither end is a date.
 */
export function periodRange(start?: string, end?: string): DateRange | undefined {
  const s = start ? dateRange(start) : undefined;
  const e = end ? dateRange(end) : undefined;
  if (!s && !e) return undefined;
  return { low: s?.low ?? '-infinity', high: e?.high ?? 'infinity' };
}
