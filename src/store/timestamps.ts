/**
 * A `timestamptz` in PostgreSQL's text output as an ISO 8601 instant with milliseconds, exactly as
 * `new Date(text).toISOString()` gives it (fractions beyond milliseconds are cut, not rounded). The common form in
 * a UTC session, `YYYY-MM-DD HH:MM:SS[.ffffff]+00` (https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-DATETIME-OUTPUT),
 * is reshaped without building a Date: every read returns its version's time, and parsing it was a measurable part
 * of a read. Anything else (another zone, BC, years past 9999) goes through Date.
 * @param text - the value as the server sent it.
 * @returns the ISO instant.
 */
export function isoTimestamp(text: string): string {
  const n = text.length;
  if (n >= 22 && n <= 29 && text[4] === '-' && text[10] === ' ' && text.endsWith('+00')) {
    if (n === 22 && text[19] === '+') return `${text.slice(0, 10)}T${text.slice(11, 19)}.000Z`;
    if (text[19] === '.') return `${text.slice(0, 10)}T${text.slice(11, 19)}.${`${text.slice(20, n - 3)}00`.slice(0, 3)}Z`;
  }
  return new Date(text).toISOString();
}
