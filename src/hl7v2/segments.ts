/**
 * A plain, navigable view of a parsed HL7 v2 message: segments of fields of repetitions of components of
 * subcomponents, already unescaped (HL7 v2.5.1 chapter 2.7 "Message construction rules"). Built from the tree
 * that node-hl7-client parses, so every accessor here is total: a missing part reads as ''.
 */
import type { HL7Node } from 'node-hl7-client';

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
 * Turns one node-hl7-client segment into the plain form.
 * @param node - the library's segment node.
 * @param name - its id.
 * @param sequence - 1-based occurrence.
 * @param position - 0-based position.
 * @param encodingChars - MSH-2, kept raw (never split).
 * @returns the segment.
 */
export function toPlainSegment(node: HL7Node, name: string, sequence: number, position: number, encodingChars: string): Hl7Segment {
  const children = node.toArray();
  const fields: Hl7Repetition[][] = [[]];
  if (name === 'MSH') {
    fields.push([[['|']]], [[[encodingChars]]]);
  }
  const first = name === 'MSH' ? 2 : 1;
  for (let i = first; i < children.length; i++) fields.push(readField(children[i] as HL7Node));
  return { name, sequence, position, fields };
}

/*
 * Reading below the field level goes through the library's tree, one level at a time, but a part whose text holds
 * no delimiter of a lower level (nor the escape character) reads the same as its only child, so that child is not
 * built. Each tree node is an EventEmitter and costs microseconds to make; building every repetition, component and
 * subcomponent was most of the CPU time of a VXU. Equality with the whole tree is tested on every NIST message.
 */
const BELOW_FIELD = /[~^&\\]/;
const BELOW_REPETITION = /[\^&\\]/;
const BELOW_COMPONENT = /[&\\]/;

/**
 * One field: its repetitions of components of unescaped subcomponents.
 * @param field - the library's field node.
 * @returns the repetitions (none for an empty field).
 */
function readField(field: HL7Node): Hl7Repetition[] {
  const text = field.toRaw();
  if (text === '') return [];
  return BELOW_FIELD.test(text) ? field.toArray().map(readRepetition) : [[[text]]];
}

function readRepetition(rep: HL7Node): string[][] {
  const text = rep.toRaw();
  if (text === '') return [];
  return BELOW_REPETITION.test(text) ? rep.toArray().map(readComponent) : [[text]];
}

function readComponent(component: HL7Node): string[] {
  const text = component.toRaw();
  if (text === '') return [];
  return BELOW_COMPONENT.test(text) ? component.toArray().map((sub) => sub.toString()) : [text];
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
