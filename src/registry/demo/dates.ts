/** Dates as whole days since 1970-01-01 (UTC): cheap arithmetic for schedules without time-zone surprises. */

const MS_PER_DAY = 86_400_000;
const isoCache = new Map<number, string>();

/**
 * @param iso - a date `YYYY-MM-DD`.
 * @returns days since the epoch.
 */
export function toEpochDay(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) {
    throw new Error(`Not a YYYY-MM-DD date: ${iso}`);
  }
  return Math.floor(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY);
}

/**
 * Formats an epoch day; results are cached because generators format the same few thousand days repeatedly.
 * @param day - days since the epoch.
 * @returns the `YYYY-MM-DD` date.
 */
export function fromEpochDay(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

/** @returns today's UTC date as `YYYY-MM-DD`. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Adds calendar years to a date (29 February maps to 1 March in common years).
 * @param day - epoch day.
 * @param years - whole years to add (may be negative).
 * @returns the shifted epoch day.
 */
export function addYears(day: number, years: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Math.floor(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()) / MS_PER_DAY);
}

/**
 * @param birthDay - epoch day of birth.
 * @param onDay - epoch day at which to measure.
 * @returns completed years of age.
 */
export function ageInYears(birthDay: number, onDay: number): number {
  const b = new Date(birthDay * MS_PER_DAY);
  const o = new Date(onDay * MS_PER_DAY);
  let age = o.getUTCFullYear() - b.getUTCFullYear();
  if (o.getUTCMonth() < b.getUTCMonth() || (o.getUTCMonth() === b.getUTCMonth() && o.getUTCDate() < b.getUTCDate())) {
    age -= 1;
  }
  return age;
}

/** Average days per month, used for schedule ages stated in months. */
export const DAYS_PER_MONTH = 30.4375;
/** Average days per year. */
export const DAYS_PER_YEAR = 365.25;
