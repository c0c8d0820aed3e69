/**
 * A plain, navigable view of a parsed HL7 v2 message: segments of fields of repetitions of components of
 * subcomponents, already unescaped (HL7 v2.5.1 chapter 2.7 "Message construction rules"). Every accessor here is
 * total: a missing part reads as ''.
 *
 * The text is split here rather than through node-hl7-client's tree: each node of that tree is an EventEmitter,
 * and building them was 17% of the CPU time of a VXU (reading a 34-segment message took 2.7 ms, and takes
 * 0.3 ms split here). The library stays the reference: the segments test compares this reading with its full tree,
 * field for field, on every NIST message.
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

/**
 * Reads one segment line into the plain form. The delimiters are the CDC IG's `|^~\&` (the reader rejects any
 * other MSH-2). An empty field, repetition or component has no parts; escape sequences are resolved in each
 * subcomponent (HL7 v2.5.1 section 2.7: F, S, T, R and E give the delimiters, X gives the bytes of its hex digits,
 * the formatting and character-set escapes C, H, M, N and Z are dropped, any other sequence is kept as sent).
 * @param line - the segment text, without its terminator.
 * @param sequence - 1-based occurrence of its id.
 * @param position - 0-based position in the message.
 * @returns the segment.
 */
export function parseSegment(line: string, sequence: number, position: number): Hl7Segment {
  const parts = line.split('|');
  const name = parts[0] ?? '';
  const fields: Hl7Repetition[][] = [[]];
  let first = 1;
  if (name === 'MSH') {
    fields.push([[['|']]], [[[parts[1] ?? '']]]);
    first = 2;
  }
  for (let i = first; i < parts.length; i++) fields.push(splitField(parts[i] ?? ''));
  return { name, sequence, position, fields };
}

function splitField(text: string): Hl7Repetition[] {
  if (text === '') return [];
  return text.split('~').map((rep) => (rep === '' ? [] : rep.split('^').map((c) => (c === '' ? [] : c.split('&').map(unescapeV2)))));
}

const ESCAPE_SEQUENCE = /\\[^\\]*\\/g;
const ESCAPED: Record<string, string> = { E: '\\', F: '|', R: '~', S: '^', T: '&', C: '', H: '', M: '', N: '', Z: '' };

function unescapeV2(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(ESCAPE_SEQUENCE, (seq) => {
    const kind = seq.charAt(1);
    if (kind === 'X') return hexText(seq.slice(2, -1));
    return ESCAPED[kind] ?? seq;
  });
}

function hexText(hex: string): string {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) out += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return out;
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
 * Whether a field holds a value.
 * @param seg - the segment.
 * @param field - 1-based field.
 * @returns true when not empty.
 */
export function hasField(seg: Hl7Segment | undefined, field: number): boolean {
  return reps(seg, field).length > 0;
}
