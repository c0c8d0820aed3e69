/**
 * A plain, navigable view of a parsed HL7 v2 message: segments of fields of repetitions of components of
 * subcomponents, already unescaped (HL7 v2.5.1 chapter 2.7 "Message construction rules"), in the shape
 * node-hl7-client's tree has (an empty part has no children). Every accessor here is total: a missing part reads
 * as ''.
 */

/** One repetition of a field: components of subcomponents. */
export type Hl7Repetition = string[][];

/** One segment of a message. */
export interface Hl7Segment {
  /** Segment id, e.g. `PID`. */
  name: string;
  /** 1-based occurrence of this segment id in the message. */
  sequence: number;
  /** 0-based position in the message. */
  position: number;
  /** fields[n] = the repetitions of field n (fields[0] is unused). For MSH, field 1 and 2 hold the delimiters. */
  fields: Hl7Repetition[][];
}

const UNESCAPE: Record<string, string> = { F: '|', S: '^', T: '&', R: '~', E: '\\', H: '', N: '' };

function hexText(hex: string): string {
  return (hex.match(/[0-9A-Fa-f]{2}/g) ?? []).map((b) => String.fromCharCode(parseInt(b, 16))).join('');
}

/**
 * Decodes the escape sequences of a subcomponent (HL7 v2.5.1 §2.7.4): the delimiters \F\ \S\ \T\ \R\ \E\,
 * highlighting \H\ \N\ (dropped) and hexadecimal \Xhh\; others (\.br\) are kept as sent.
 * @param text - the raw subcomponent.
 * @returns the text.
 */
export function unescapeEr7(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(?:([FSTREHN])|X([0-9A-Fa-f]*))\\/g, (_, c: string | undefined, hex: string | undefined) => (c ? (UNESCAPE[c] ?? '') : hexText(hex ?? '')));
}

/** Splits a part into its children; an empty part has none (a missing field, repetition or component). */
function children<T>(text: string, separator: string, child: (part: string) => T): T[] {
  return text === '' ? [] : text.split(separator).map(child);
}

/**
 * Splits one segment of a message with the CDC IG delimiters `|^~\&` (the parser rejects any other MSH-2 first)
 * into the plain form: fields, repetitions, components, subcomponents, each unescaped after splitting so an escaped
 * delimiter never splits; an empty field, repetition or component has no parts. A direct split: VXU intake parses
 * every message, and a node tree per subcomponent cost more than the rest of the mapping.
 * @param line - the segment text, without its terminator.
 * @param sequence - 1-based occurrence of its id.
 * @param position - 0-based position.
 * @returns the segment.
 */
export function splitSegment(line: string, sequence: number, position: number): Hl7Segment {
  const raw = line.split('|');
  const name = raw[0] ?? '';
  const fields: Hl7Repetition[][] = [[]];
  let first = 1;
  if (name === 'MSH') {
    fields.push([[['|']]], [[[raw[1] ?? '']]]);
    first = 2;
  }
  for (let i = first; i < raw.length; i++) {
    fields.push(children(raw[i] as string, '~', (rep) => children(rep, '^', (comp) => children(comp, '&', unescapeEr7))));
  }
  return { name, sequence, position, fields };
}

/**
 * The repetitions of a field.
 * @param seg - the segment (or undefined).
 * @param field - 1-based field number.
 * @returns the repetitions, possibly empty.
 */
export function reps(seg: Hl7Segment | undefined, field: number): Hl7Repetition[] {
  return (seg?.fields[field] ?? []).filter((r) => r.some((c) => c.some((s) => s !== '')));
}

/**
 * One component (first subcomponent unless asked) of a repetition.
 * @param rep - the repetition.
 * @param component - 1-based component.
 * @param sub - 1-based subcomponent.
 * @returns the trimmed value or ''.
 */
export function comp(rep: Hl7Repetition | undefined, component: number, sub = 1): string {
  return (rep?.[component - 1]?.[sub - 1] ?? '').trim();
}

/**
 * A value of a segment: field, component, subcomponent of the first repetition.
 * @param seg - the segment.
 * @param field - 1-based field.
 * @param component - 1-based component.
 * @param sub - 1-based subcomponent.
 * @returns the trimmed value or ''.
 */
export function val(seg: Hl7Segment | undefined, field: number, component = 1, sub = 1): string {
  return comp(reps(seg, field)[0], component, sub);
}

/**
 * Whether a field has any value.
 * @param seg - the segment.
 * @param field - 1-based field.
 * @returns true when not empty.
 */
export function hasField(seg: Hl7Segment | undefined, field: number): boolean {
  return reps(seg, field).length > 0;
}
