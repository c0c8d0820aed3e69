import { formatDtm } from './ack.ts';
import { splitSegments } from './er7-header.ts';

/** A batch file split into its messages (HL7 v2.5.1 §2.10.3: FHS, BHS, messages, BTS, FTS). */
export interface Er7Batch {
  /** FHS-11 and BHS-11 (file and batch control ids), echoed in the reply's FHS-12/BHS-12. */
  fileControlId: string;
  batchControlId: string;
  /** FHS-3..6 (or BHS-3..6 without FHS): sending and receiving application/facility, swapped in the reply. */
  parties: { sendingApplication: string; sendingFacility: string; receivingApplication: string; receivingFacility: string };
  messages: string[];
}

/**
 * @param raw - a frame's text.
 * @returns true when it is a batch (starts with FHS or BHS).
 */
export function isBatch(raw: string): boolean {
  const first = raw.replace(/^[\uFEFF\s]+/, '').slice(0, 3);
  return first === 'FHS' || first === 'BHS';
}

function field(seg: string | undefined, n: number): string {
  if (!seg) return '';
  const fs = seg.charAt(3) || '|';
  return (seg.split(fs)[n - 1] ?? '').replace(/[\r\n|^~\\&]/g, '').slice(0, 100);
}

/** A HD field echoed in the reply: components kept (default `^` only), nothing else that could break the segment. */
function hdField(seg: string | undefined, n: number): string {
  if (!seg || seg.charAt(3) !== '|' || seg.charAt(4) !== '^') return '';
  return (seg.split('|')[n - 1] ?? '').replace(/[\r\n|~\\]/g, '').slice(0, 200);
}

/**
 * Splits a batch into messages: each MSH starts a message that runs to the next MSH or envelope segment.
 * Segments before the first MSH other than the envelope are dropped (they belong to no message).
 * @param raw - the batch text.
 * @returns the batch control ids and the messages, segments separated by CR.
 */
export function splitBatch(raw: string): Er7Batch {
  const segments = splitSegments(raw);
  const fhs = segments.find((s) => s.startsWith('FHS'));
  const bhs = segments.find((s) => s.startsWith('BHS'));
  const messages: string[] = [];
  let current: string[] | undefined;
  for (const seg of segments) {
    const tag = seg.slice(0, 3);
    if (['FHS', 'BHS', 'BTS', 'FTS'].includes(tag)) {
      if (current) messages.push(current.join('\r') + '\r');
      current = undefined;
    } else if (tag === 'MSH') {
      if (current) messages.push(current.join('\r') + '\r');
      current = [seg];
    } else if (current) {
      current.push(seg);
    }
  }
  if (current) messages.push(current.join('\r') + '\r');
  const head = fhs ?? bhs;
  const parties = { sendingApplication: hdField(head, 3), sendingFacility: hdField(head, 4), receivingApplication: hdField(head, 5), receivingFacility: hdField(head, 6) };
  return { fileControlId: field(fhs, 11), batchControlId: field(bhs, 11), parties, messages };
}

/**
 * Builds the reply batch: one acknowledgement per message, in order, inside FHS/BHS … BTS/FTS (HL7 v2.5.1 §2.10.3,
 * CDC IG R1.5 batch acknowledgement: one ACK per message of the batch), with sender and receiver swapped, FHS-12 and
 * BHS-12 referencing the batch answered, BTS-1 the number of messages in the reply batch and FTS-1 the number of
 * batches in the file (always one).
 * @param batch - the batch answered.
 * @param replies - the reply of each message.
 * @param now - timestamp for FHS-7/BHS-7.
 * @returns the reply batch in ER7.
 */
export function buildBatchReply(batch: Er7Batch, replies: string[], now = new Date()): string {
  const ts = formatDtm(now);
  const p = batch.parties;
  const who = `${p.receivingApplication}|${p.receivingFacility}|${p.sendingApplication}|${p.sendingFacility}`;
  const segs = [
    `FHS|^~\\&|${who}|${ts}||||${batch.fileControlId ? `R${batch.fileControlId}`.slice(0, 20) : ''}|${batch.fileControlId}`,
    `BHS|^~\\&|${who}|${ts}||||${batch.batchControlId ? `R${batch.batchControlId}`.slice(0, 20) : ''}|${batch.batchControlId}`,
    ...replies.flatMap((r) => splitSegments(r)),
    `BTS|${replies.length}`,
    'FTS|1',
  ];
  return segs.join('\r') + '\r';
}

/**
 * Answers a batch file the way every transport does (MLLP frame, SOAP submitSingleMessage, `POST /hl7/v2`): split it,
 * answer each message in order through the transport's own single-message path (so each is logged, authorized and
 * processed exactly as if sent alone), and wrap the replies in a reply batch (HL7 v2.5.1 §2.10.3).
 * @param raw - the batch text.
 * @param answerOne - the transport's answer to one message.
 * @returns the reply batch.
 */
export async function answerBatch(raw: string, answerOne: (message: string) => Promise<string>): Promise<string> {
  const batch = splitBatch(raw);
  const replies: string[] = [];
  for (const m of batch.messages) replies.push(await answerOne(m));
  return buildBatchReply(batch, replies);
}
