/**
 * Reading an inbound HL7 v2.5.1 message (CDC IG for Immunization Messaging R1.5, section 5 "Messages" and
 * section 6 "MSH - Message Header Segment"): framing and line endings are normalised, the text is split into
 * segments, and the header is checked. Never throws: every problem becomes an {@link Hl7Issue}.
 */
import { hl7Issue, type Hl7Issue } from './issues.ts';
import { parseSegment, val, reps, type Hl7Repetition, type Hl7Segment } from './segments.ts';

/** HD (hierarchic designator): namespace id, universal id, universal id type. */
export interface Hl7Hd {
  namespaceId: string;
  universalId?: string;
  universalIdType?: string;
}

/** Facts of MSH that the registry needs (CDC IG R1.5 MSH field table). */
export interface MessageHeader {
  sendingApplication: Hl7Hd;
  sendingFacility: Hl7Hd;
  receivingApplication: Hl7Hd;
  receivingFacility: Hl7Hd;
  /** MSH-7 as sent. */
  dateTime: string;
  /** MSH-9.1, MSH-9.2, MSH-9.3. */
  messageType: string;
  triggerEvent: string;
  messageStructure: string;
  /** MSH-10. */
  controlId: string;
  /** MSH-11.1 (P, T, D). */
  processingId: string;
  /** MSH-12.1. */
  version: string;
  /** MSH-15 / MSH-16. */
  acceptAckType: string;
  appAckType: string;
  /** MSH-21.1: Z22, Z34, Z44... */
  profileId: string;
  /** MSH-22 / MSH-23 responsible organisations (XON), kept as components so replies can swap them. */
  sendingResponsibleOrg?: Hl7Repetition;
  receivingResponsibleOrg?: Hl7Repetition;
}

/** A parsed message: its header and its segments. */
export interface ParsedMessage {
  header: MessageHeader;
  segments: Hl7Segment[];
}

/** Result of reading a message. */
export type ParseResult = { ok: true; message: ParsedMessage; issues: Hl7Issue[] } | { ok: false; issues: Hl7Issue[]; header?: MessageHeader };

/** What the receiver supports (MSH-9, MSH-11, MSH-12). */
export interface HeaderPolicy {
  /** Accepted `TYPE^EVENT` pairs, e.g. `VXU^V04`. */
  messageTypes: readonly string[];
  processingIds: readonly string[];
  versions: readonly string[];
}

/** The registry's default policy: VXU^V04 and QBP^Q11 of version 2.5.1, production, training or debug. */
export const DEFAULT_POLICY: HeaderPolicy = { messageTypes: ['VXU^V04', 'QBP^Q11'], processingIds: ['P', 'T', 'D'], versions: ['2.5.1'] };

const MSH = { segment: 'MSH', sequence: 1 } as const;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * Strips MLLP framing (0x0B ... 0x1C 0x0D), a BOM and surrounding whitespace; normalises CRLF and LF to CR
 * (HL7 v2 segment terminator; the NIST samples mix line endings).
 * @param raw - the text received.
 * @returns the text with CR-separated segments.
 */
export function normalizeText(raw: string): string {
  let text = raw.replace(/^\ufeff/, '');
  text = text.replace(/^[\s\x0b]+/, '').replace(/[\s\x1c]+$/, '');
  return text.replace(/\r\n|\n\r|\n/g, '\r').replace(/\r+/g, '\r');
}

function hd(rep: Hl7Repetition | undefined): Hl7Hd {
  const c = (i: number) => (rep?.[i - 1]?.[0] ?? '').trim();
  return { namespaceId: c(1), ...(c(2) ? { universalId: c(2) } : {}), ...(c(3) ? { universalIdType: c(3) } : {}) };
}

/**
 * Reads the header facts from a parsed MSH.
 * @param msh - the MSH segment.
 * @returns the header.
 */
export function readHeader(msh: Hl7Segment): MessageHeader {
  const org = (n: number) => reps(msh, n)[0];
  const o22 = org(22);
  const o23 = org(23);
  return {
    sendingApplication: hd(reps(msh, 3)[0]),
    sendingFacility: hd(reps(msh, 4)[0]),
    receivingApplication: hd(reps(msh, 5)[0]),
    receivingFacility: hd(reps(msh, 6)[0]),
    dateTime: val(msh, 7),
    messageType: val(msh, 9, 1).toUpperCase(),
    triggerEvent: val(msh, 9, 2).toUpperCase(),
    messageStructure: val(msh, 9, 3).toUpperCase(),
    controlId: val(msh, 10),
    processingId: val(msh, 11),
    version: val(msh, 12),
    acceptAckType: val(msh, 15),
    appAckType: val(msh, 16),
    profileId: val(msh, 21).toUpperCase(),
    ...(o22 ? { sendingResponsibleOrg: o22 } : {}),
    ...(o23 ? { receivingResponsibleOrg: o23 } : {}),
  };
}

/**
 * Bytes to text: UTF-8, or ISO 8859-1 when the bytes are not valid UTF-8 (MSH-18 is often empty while senders
 * use Latin-1 for accented names). UTF-16 and binary data keep their NUL bytes and are rejected afterwards.
 */
function decodeBytes(raw: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return new TextDecoder('latin1').decode(raw);
  }
}

function structureIssues(text: string): Hl7Issue[] {
  if (!text.startsWith('MSH')) return [hl7Issue(MSH, '100', 'E', 'Message does not start with an MSH segment')];
  if (CONTROL.test(text)) return [hl7Issue(MSH, '100', 'E', 'Message contains control characters or bytes of an unsupported character encoding')];
  if (text.slice(3, 8) !== '|^~\\&') return [hl7Issue({ ...MSH, field: 2 }, '100', 'E', 'MSH-1 and MSH-2 must be the delimiters |^~\\& (CDC IG R1.5)')];
  const lines = text.split('\r');
  const bad = lines.findIndex((l) => !/^[A-Z][A-Z0-9]{2}(\||$)/.test(l));
  if (bad >= 0) return [hl7Issue({ segment: 'MSH', sequence: 1 }, '100', 'E', `Segment ${bad + 1} of the message has no valid segment id`)];
  if (lines.filter((l) => l.startsWith('MSH|')).length > 1) return [hl7Issue(MSH, '100', 'E', 'More than one MSH segment: batches are not accepted here')];
  return [];
}

/**
 * Parses raw HL7 v2 text (CR, LF or CRLF separators; MLLP framing tolerated) and checks MSH structure:
 * code 100 when the text is not an HL7 message or the delimiters are wrong, 101 when MSH-9, MSH-10, MSH-11 or
 * MSH-12 is missing (CDC IG R1.5 section 6, MSH usage R).
 * @param raw - the message text or bytes (UTF-8).
 * @returns the parsed message, or the issues that prevent reading it.
 */
export function parseMessage(raw: string | Uint8Array): ParseResult {
  const text = normalizeText(typeof raw === 'string' ? raw : decodeBytes(raw));
  const problems = structureIssues(text);
  if (problems.length) return { ok: false, issues: problems };
  const counts = new Map<string, number>();
  const segments = text.split('\r').map((line, position) => {
    const name = line.slice(0, 3);
    const sequence = (counts.get(name) ?? 0) + 1;
    counts.set(name, sequence);
    return parseSegment(line, sequence, position);
  });
  const msh = segments[0] as Hl7Segment;
  const header = readHeader(msh);
  const required: [number, string][] = [[9, 'MSH-9 message type'], [10, 'MSH-10 message control id'], [11, 'MSH-11 processing id'], [12, 'MSH-12 version id']];
  const issues = required
    .filter(([f]) => !val(msh, f))
    .map(([f, what]) => hl7Issue({ ...MSH, field: f }, '101', 'E', `Required field ${what} is missing`, '7'));
  if (!issues.length && !header.triggerEvent) issues.push(hl7Issue({ ...MSH, field: 9, component: 2 }, '101', 'E', 'Required MSH-9.2 trigger event is missing', '7'));
  return issues.length ? { ok: false, issues, header } : { ok: true, message: { header, segments }, issues: [] };
}

/**
 * Checks a header against what the receiver supports: 200 unsupported message type, 201 unsupported event,
 * 202 unsupported processing id, 203 unsupported version (HL7 table 0357; CDC IG R1.5 ACK: these yield MSA-1 AR).
 * @param header - the header.
 * @param policy - what is supported.
 * @returns the issues (empty when supported).
 */
export function checkHeader(header: MessageHeader, policy: HeaderPolicy = DEFAULT_POLICY): Hl7Issue[] {
  const issues: Hl7Issue[] = [];
  const types = policy.messageTypes.map((t) => t.split('^'));
  if (!types.some(([t]) => t === header.messageType)) {
    issues.push(hl7Issue({ ...MSH, field: 9, component: 1 }, '200', 'E', `Message type ${header.messageType} is not supported`));
  } else if (!types.some(([t, e]) => t === header.messageType && e === header.triggerEvent)) {
    issues.push(hl7Issue({ ...MSH, field: 9, component: 2 }, '201', 'E', `Event ${header.triggerEvent} is not supported for ${header.messageType}`));
  }
  if (!policy.processingIds.includes(header.processingId)) {
    issues.push(hl7Issue({ ...MSH, field: 11, component: 1 }, '202', 'E', `Processing id ${header.processingId} is not supported`));
  }
  if (!policy.versions.includes(header.version)) {
    issues.push(hl7Issue({ ...MSH, field: 12, component: 1 }, '203', 'E', `Version id ${header.version} is not supported`));
  }
  return issues;
}

/**
 * Parses and checks a message in one step.
 * @param raw - the message.
 * @param policy - what is supported.
 * @returns the parsed message, or the issues (with the header when MSH was readable, so the ACK can echo MSH-10).
 */
export function readMessage(raw: string | Uint8Array, policy: HeaderPolicy = DEFAULT_POLICY): ParseResult {
  const parsed = parseMessage(raw);
  if (!parsed.ok) return parsed;
  const issues = checkHeader(parsed.message.header, policy);
  return issues.length ? { ok: false, issues, header: parsed.message.header } : parsed;
}

/**
 * The segments of a message with a given id.
 * @param msg - the message.
 * @param name - segment id.
 * @returns the segments in order.
 */
export function segmentsNamed(msg: ParsedMessage, name: string): Hl7Segment[] {
  return msg.segments.filter((s) => s.name === name);
}
