/**
 * Calendar-date arithmetic of the CDSi Logic Specification 4.6, §3.4 (Table 3-6).
 * Dates are plain `YYYY-MM-DD` strings; no times and no time zones are involved, so comparisons
 * are lexicographic string comparisons.
 */

/** A parsed CDSi duration such as `4 years - 4 days` or `8 months + 1 day`. */
export interface Duration {
  years: number;
  months: number;
  days: number;
}

const durationCache = new Map<string, Duration | undefined>();

/**
 * Parses a duration string from the supporting data (`6 months - 4 days`, `1 year`, `28 days`).
 * @param text - the duration text; empty or missing yields undefined.
 * @returns the duration, or undefined when the text is empty or unparseable.
 */
export function parseDuration(text: string | undefined): Duration | undefined {
  if (!text) return undefined;
  const key = text.trim().toLowerCase();
  if (key === '') return undefined;
  if (durationCache.has(key)) return durationCache.get(key);
  const result: Duration = { years: 0, months: 0, days: 0 };
  const re = /([+-])?\s*(\d+)\s*(year|month|week|day)s?/g;
  let match: RegExpExecArray | null;
  let found = false;
  while ((match = re.exec(key)) !== null) {
    found = true;
    const sign = match[1] === '-' ? -1 : 1;
    const n = sign * Number(match[2]);
    switch (match[3]) {
      case 'year': result.years += n; break;
      case 'month': result.months += n; break;
      case 'week': result.days += 7 * n; break;
      default: result.days += n;
    }
  }
  const value = found ? result : undefined;
  durationCache.set(key, value);
  return value;
}

/**
 * Converts a calendar date to a day number (days since 1970-01-01) using UTC only for arithmetic.
 * @param date - a `YYYY-MM-DD` date.
 * @returns the day number.
 */
export function toDayNumber(date: string): number {
  // Days-from-civil (proleptic Gregorian), the inverse of fromDayNumber, without a Date or substring allocation.
  const y0 = digits(date, 0, 4);
  const m = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * `Number(text.slice(start, end))` without the substring: the parts of a `YYYY-MM-DD` date. Anything but digits (a
 * partial date such as `2023-05`) takes the general path, so malformed input behaves exactly as before.
 */
function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return Number(text.slice(start, end));
    n = n * 10 + c;
  }
  return n;
}

/**
 * Converts a day number back to a calendar date.
 * @param day - days since 1970-01-01.
 * @returns the `YYYY-MM-DD` date.
 */
export function fromDayNumber(day: number): string {
  // Civil-from-days (proleptic Gregorian), avoiding Date allocation on the hot path.
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] ?? 30;
}

/**
 * Adds days to a date (CALCDT-3: weeks and days are added as days).
 * @param date - a `YYYY-MM-DD` date.
 * @param days - number of days, may be negative.
 * @returns the resulting date.
 */
export function addDays(date: string, days: number): string {
  if (days === 0) return date;
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * The day before a date (FORECASTDT-3, FORECASTDT-4: past-due and latest dates are a day before their bound),
 * through the memo of {@link calcDate}: every series forecast asks it of the same few dates.
 * @param date - a `YYYY-MM-DD` date.
 * @returns the previous day.
 */
export function dayBefore(date: string): string {
  return calcDate(date, '-1 day') ?? addDays(date, -1);
}

/**
 * Adds a duration to a date following CALCDT-1..6: years, then months (keeping the day; an impossible
 * date rolls to the first of the next month, CALCDT-5), then weeks and days.
 * @param date - the start date.
 * @param duration - the duration to add.
 * @returns the resulting date.
 */
export function addDuration(date: string, duration: Duration): string {
  let year = digits(date, 0, 4);
  let month = digits(date, 5, 7);
  let day = digits(date, 8, 10);
  if (duration.years !== 0 || duration.months !== 0) {
    const total = year * 12 + (month - 1) + duration.years * 12 + duration.months;
    year = Math.floor(total / 12);
    month = (total % 12) + 1;
    if (day > daysInMonth(year, month)) {
      // CALCDT-5: 03/31 + 6 months = 10/01
      day = 1;
      month += 1;
      if (month > 12) { month = 1; year += 1; }
    }
  }
  const base = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  return addDays(base, duration.days);
}

/**
 * Computes `date + text` where text is a supporting-data duration; undefined when text is empty.
 * @param date - the reference date.
 * @param text - the duration text.
 * @returns the computed date or undefined.
 */
export function calcDate(date: string | undefined, text: string | undefined): string | undefined {
  if (!date || !text) return undefined;
  // The same birth and dose dates meet the same durations over and over: memoise per duration text,
  // then per date (two map lookups, no key string to build), bounded.
  let byDate = calcCache.get(text);
  if (!byDate) {
    byDate = new Map();
    calcCache.set(text, byDate);
  }
  const cached = byDate.get(date);
  if (cached !== undefined) return cached === '' ? undefined : cached;
  const duration = parseDuration(text);
  const result = duration ? addDuration(date, duration) : undefined;
  // Bounded as a whole (about as many entries as the former single-key cache), for long-running servers.
  calcCacheSize += 1;
  if (calcCacheSize > 500_000) {
    calcCache.clear();
    calcCacheSize = 1;
    byDate = new Map();
    calcCache.set(text, byDate);
  }
  byDate.set(date, result ?? '');
  return result;
}

const calcCache = new Map<string, Map<string, string>>();
let calcCacheSize = 0;

/**
 * Converts a supporting-data date (`YYYYMMDD` or `MM/DD/YYYY`) to `YYYY-MM-DD`.
 * @param text - the raw date.
 * @returns the ISO date or undefined when empty.
 */
export function normalizeDataDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim();
  if (/^\d{8}$/.test(t)) return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return `${m[3]}-${pad(Number(m[1]), 2)}-${pad(Number(m[2]), 2)}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
  return undefined;
}

/**
 * Lot expiration date (CALCDTLOTEXP-1): a month/year expiration means the last day of that month.
 * @param text - `YYYY-MM-DD`, `YYYY-MM` or `MM/YYYY`.
 * @returns the expiration date.
 */
export function lotExpirationDate(text: string): string {
  const t = text.trim();
  let m = /^(\d{4})-(\d{2})$/.exec(t);
  if (!m) {
    const alt = /^(\d{1,2})\/(\d{4})$/.exec(t);
    if (alt) m = [t, alt[2] ?? '', pad(Number(alt[1]), 2)] as unknown as RegExpExecArray;
  }
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(daysInMonth(year, month), 2)}`;
  }
  return t.slice(0, 10);
}

/**
 * Returns the latest of the given dates, ignoring undefined.
 * @param dates - candidate dates.
 * @returns the latest date or undefined.
 */
export function maxDate(...dates: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}

/**
 * Returns the earliest of the given dates, ignoring undefined.
 * @param dates - candidate dates.
 * @returns the earliest date or undefined.
 */
export function minDate(...dates: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const d of dates) if (d && (!best || d < best)) best = d;
  return best;
}
