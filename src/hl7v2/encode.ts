/**
 * Writing HL7 v2 segments with the CDC IG delimiters `|^~\&` and HL7 escape sequences (HL7 v2.5.1 chapter 2.7:
 * \F\ \S\ \T\ \R\ \E\). The finished text is read back with node-hl7-client so a reply is always parseable.
 */
import { Message } from 'node-hl7-client';
import type { Hl7Hd } from './message.ts';

/** A component: a value, or its subcomponents. */
export type V2Component = string | readonly string[];
/** A repetition: its components. */
export type V2Rep = readonly V2Component[];
/** A field: a plain value, one repetition's components, or several repetitions. */
export type V2Field = string | V2Rep | { reps: readonly V2Rep[] } | undefined;

/**
 * Escapes the delimiters in a value; line breaks become spaces (ERR-8 and OBX-5 are single-line).
 * @param text - the value.
 * @returns the escaped value.
 */
export function escapeV2(text: string): string {
  return text
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/&/g, '\\T\\')
    .replace(/~/g, '\\R\\')
    .replace(/[\r\n]+/g, ' ');
}

const trimEnd = (parts: string[], sep: string) => {
  let n = parts.length;
  while (n > 0 && parts[n - 1] === '') n--;
  return parts.slice(0, n).join(sep);
};

function encodeRep(rep: V2Rep): string {
  return trimEnd(rep.map((c) => (typeof c === 'string' ? escapeV2(c) : trimEnd(c.map(escapeV2), '&'))), '^');
}

/**
 * Encodes one field.
 * @param f - the field.
 * @returns its text.
 */
export function encodeField(f: V2Field): string {
  if (f === undefined) return '';
  if (typeof f === 'string') return escapeV2(f);
  if ('reps' in f) return f.reps.map(encodeRep).join('~');
  return encodeRep(f as V2Rep);
}

/**
 * One segment: `fields[0]` is field 1 (for MSH, field 3: MSH-1 and MSH-2 are written by the function).
 * @param name - segment id.
 * @param fields - the fields in order.
 * @returns the segment text, trailing empty fields removed.
 */
export function segment(name: string, fields: readonly V2Field[]): string {
  const body = trimEnd(fields.map(encodeField), '|');
  if (name === 'MSH') return `MSH|^~\\&|${body}`;
  return body ? `${name}|${body}` : name;
}

/**
 * An HD as components.
 * @param hd - the HD.
 * @returns its components.
 */
export function hdRep(hd: Hl7Hd | string | undefined): V2Rep {
  if (!hd) return [];
  if (typeof hd === 'string') return [hd];
  return [hd.namespaceId, hd.universalId ?? '', hd.universalIdType ?? ''];
}

/**
 * A timestamp `YYYYMMDDHHMMSS+0000` in UTC.
 * @param d - the time.
 * @returns the TS.
 */
export function tsOf(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace(/[-T:]/g, '')}+0000`;
}

/**
 * Joins segments into a message (CR-terminated) and checks that node-hl7-client reads it back.
 * @param segments - the segment texts, MSH first.
 * @returns the message text.
 */
export function buildMessage(segments: readonly string[]): string {
  const text = segments.join('\r');
  return new Message({ text }).toString();
}
