/**
 * ACK^V04^ACK, profile Z23 (CDC IG R1.5 section 5.2 "Acknowledgement" and section 6 "MSA", "ERR"). One ACK per
 * VXU, even one that could not be parsed (then MSA-1 AR and MSA-2 empty when MSH-10 was unreadable).
 */
import { APP_ERROR_CODE_TEXT, ERROR_CODE_TEXT, isMessageRejected, type Hl7Issue } from './issues.ts';
import type { Hl7Hd, MessageHeader } from './message.ts';
import { buildMessage, hdRep, segment, tsOf, type V2Rep } from './encode.ts';

/** MSA-1 acknowledgment codes (HL7 table 0008). */
export type AckCode = 'AA' | 'AE' | 'AR';

/**
 * MSA-1 from the issues: AR for message-level faults (unsupported type, event, processing id or version, or an
 * unreadable MSH); AE when any error or warning is reported (CDC IG R1.5: "AE - processed, errors/warnings
 * reported", as in the NIST ACKs of warnings); else AA (informational ERR allowed).
 * @param issues - the issues.
 * @returns the code.
 */
export function ackCodeOf(issues: readonly Hl7Issue[]): AckCode {
  if (isMessageRejected(issues)) return 'AR';
  return issues.some((i) => i.severity === 'E' || i.severity === 'W') ? 'AE' : 'AA';
}

/**
 * ERR-2 (ERL): segment id ^ sequence ^ field ^ field repetition ^ component, as in the NIST ACKs (`RXA^1^5^1^1`).
 * @param i - the issue.
 * @returns the components.
 */
export function errLocation(i: Hl7Issue): V2Rep {
  const rep = i.field !== undefined ? [String(i.field), '1'] : [];
  return [i.segment, String(i.sequence), ...rep, ...(i.component !== undefined ? [String(i.component)] : [])];
}

/**
 * One ERR segment: ERR-2 location, ERR-3 HL70357 code, ERR-4 severity, ERR-5 CDC table 0533 code, ERR-8 user message.
 * @param i - the issue.
 * @returns the segment text.
 */
export function errSegment(i: Hl7Issue): string {
  return segment('ERR', [
    '',
    errLocation(i),
    [i.code, ERROR_CODE_TEXT[i.code], 'HL70357'],
    i.severity,
    i.appCode ? [i.appCode, APP_ERROR_CODE_TEXT[i.appCode], 'HL70533'] : '',
    '',
    '',
    i.message,
  ]);
}

/** Options of {@link buildAck}. */
export interface AckOptions {
  /** Force MSA-1 instead of computing it. */
  ackCode?: AckCode;
  /** MSH-3 / MSH-4 of the reply (the registry). */
  sendingApp: Hl7Hd | string;
  sendingFacility: Hl7Hd | string;
  /** MSH-7. */
  now: Date;
  /** MSH-10 of the reply. */
  controlId: string;
}

/**
 * The MSH of a reply: MSH-3/4 the registry, MSH-5/6 the sender of the request, MSH-22/23 swapped, MSH-15/16 NE.
 * @param header - the request's header, if it was readable.
 * @param type - MSH-9 components.
 * @param profile - MSH-21.1.
 * @param opts - sender, time and control id.
 * @returns the MSH text.
 */
export function replyMsh(header: MessageHeader | undefined, type: V2Rep, profile: string, opts: Omit<AckOptions, 'ackCode'>): string {
  return segment('MSH', [
    hdRep(opts.sendingApp), hdRep(opts.sendingFacility), hdRep(header?.sendingApplication), hdRep(header?.sendingFacility),
    tsOf(opts.now), '', type, opts.controlId, header?.processingId || 'P', '2.5.1', '', '', 'NE', 'NE', '', '', '', '',
    [profile, 'CDCPHINVS'], header?.receivingResponsibleOrg ?? '', header?.sendingResponsibleOrg ?? '',
  ]);
}

/**
 * Builds the ACK of a VXU.
 * @param header - the VXU header (undefined when MSH was unreadable).
 * @param issues - every issue found (message, patient and record level).
 * @param opts - reply options.
 * @returns the ACK text (CR-separated segments).
 */
export function buildAck(header: MessageHeader | undefined, issues: readonly Hl7Issue[], opts: AckOptions): string {
  const code = opts.ackCode ?? ackCodeOf(issues);
  return buildMessage([
    replyMsh(header, ['ACK', 'V04', 'ACK'], 'Z23', opts),
    segment('MSA', [code, header?.controlId ?? '']),
    ...issues.map(errSegment),
  ]);
}
