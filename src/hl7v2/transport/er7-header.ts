/**
 * Just enough ER7 reading for the transports and the message log: the MSH header fields that route and index a
 * message, and the MSA/ERR fields of a reply. The full parser lives in `src/hl7v2/`; this file stays tolerant of
 * anything (it never throws) because it runs before the processor, on raw input.
 * Field numbering follows HL7 v2.5.1 chapter 2 (MSH-1 is the field separator itself).
 */
import type { Hl7Outcome } from '../../store/hl7-message-store.ts';

/** The header fields of a message (HL7 v2.5.1 §2.14.9, CDC IG for Immunization Messaging MSH). */
export interface Er7Header {
  fieldSeparator: string;
  componentSeparator: string;
  /** MSH-3, MSH-4, MSH-5, MSH-6 as sent (whole fields). */
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-4.1: the sending facility's namespace id, used to identify MLLP senders. */
  sendingFacilityId: string;
  /** MSH-9 components joined with `^` (`VXU^V04^VXU_V04`). */
  messageType: string;
  /** MSH-9.2, the trigger event. */
  event: string;
  /** MSH-10. */
  controlId: string;
  /** MSH-11.1. */
  processingId: string;
  /** MSH-12.1. */
  version: string;
  /** MSH-21.1, the message profile (`Z22`). */
  profile: string;
}

/**
 * Splits ER7 text into segments, accepting CR (the standard terminator), LF and CRLF.
 * @param raw - the message text.
 * @returns the non-empty segments.
 */
export function splitSegments(raw: string): string[] {
  return raw.split(/\r\n|\r|\n/).filter((s) => s.trim() !== '');
}

function component(field: string | undefined, sep: string, index = 0): string {
  return (field ?? '').split(sep)[index] ?? '';
}

/**
 * Reads the MSH segment of a message (or of a segment list's first MSH).
 * @param raw - the message text, or its MSH segment.
 * @returns the header, or undefined when the text does not start with a well-formed MSH.
 */
export function readHeader(raw: string): Er7Header | undefined {
  const msh = splitSegments(raw.replace(/^\uFEFF/, ''))[0];
  if (!msh || !msh.startsWith('MSH') || msh.length < 8) return undefined;
  const fs = msh.charAt(3);
  if (/[A-Za-z0-9\s]/.test(fs)) return undefined;
  const f = msh.split(fs);
  const encoding = f[1] ?? '';
  const cs = encoding.charAt(0) || '^';
  const mt = (f[8] ?? '').split(cs);
  return {
    fieldSeparator: fs,
    componentSeparator: cs,
    sendingApplication: f[2] ?? '',
    sendingFacility: f[3] ?? '',
    receivingApplication: f[4] ?? '',
    receivingFacility: f[5] ?? '',
    sendingFacilityId: component(f[3], cs).trim(),
    messageType: mt.filter((x, i) => x !== '' || i === 0).join('^'),
    event: mt[1] ?? '',
    controlId: (f[9] ?? '').trim(),
    processingId: component(f[10], cs),
    version: component(f[11], cs),
    profile: component(f[20], cs),
  };
}

/** The acknowledgement facts of a reply (MSA-1 and the ERR codes). */
export interface Er7AckSummary {
  /** MSA-1 (AA, AE, AR, CA, CE, CR), or undefined when the reply has no MSA. */
  ackCode?: string;
  /** ERR-3.1 HL7 error codes (table 0357) and ERR-5.1 application codes, the latter prefixed `app:`. */
  errorCodes: string[];
}

/**
 * Reads MSA-1 and the ERR-3 / ERR-5 codes of a reply (ACK or RSP), for the message log and its report.
 * @param reply - the reply text.
 * @returns the acknowledgement code and the error codes, in order, without duplicates.
 */
export function readAckSummary(reply: string): Er7AckSummary {
  const header = readHeader(reply);
  const fs = header?.fieldSeparator ?? '|';
  const cs = header?.componentSeparator ?? '^';
  let ackCode: string | undefined;
  const codes = new Set<string>();
  for (const seg of splitSegments(reply)) {
    const f = seg.split(fs);
    if (f[0] === 'MSA' && ackCode === undefined) ackCode = (f[1] ?? '').trim() || undefined;
    if (f[0] === 'ERR') {
      const hl7 = component(f[3], cs).trim();
      const app = component(f[5], cs).trim();
      if (hl7) codes.add(hl7);
      if (app) codes.add(`app:${app}`);
    }
  }
  return { ...(ackCode ? { ackCode } : {}), errorCodes: [...codes] };
}

/**
 * What the message log records of a processed message: the reply with its MSA-1 and ERR codes (CDC IG R1.5
 * acknowledgement), and the resources it touched.
 * @param reply - the ACK or RSP.
 * @param touched - `Type/id` of the resources written.
 * @returns the outcome to save.
 */
export function outcomeOfReply(reply: string, touched: string[]): Hl7Outcome {
  const { ackCode, errorCodes } = readAckSummary(reply);
  return { status: 'processed', reply, errorCodes, touched, ...(ackCode ? { ackCode } : {}) };
}
