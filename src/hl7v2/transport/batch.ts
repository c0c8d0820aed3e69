import { formatDtm } from './ack.ts';
import { splitSegments } from './er7-header.ts';

/** A batch file split into its messages (HL7 v2.5.1 §2.10.3: FHS, BHS, messages, BTS, FTS). */
export interface Er7Batch {
  /** FHS-11 and BHS-11 (file and batch control ids), echoed in the reply's FHS-12/BHS-12. */
  fileControlId: string;
  batchControlId: string;
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
  return { fileControlId: field(fhs, 11), batchControlId: field(bhs, 11), messages };
}

/**
 * Builds the reply batch: one acknowledgement per message, in order, inside FHS/BHS … BTS/FTS, with FHS-12 and
 * BHS-12 referencing the batch answered.
 * @param batch - the batch answered.
 * @param replies - the reply of each message.
 * @param now - timestamp for FHS-7/BHS-7.
 * @returns the reply batch in ER7.
 */
export function buildBatchReply(batch: Er7Batch, replies: string[], now = new Date()): string {
  const ts = formatDtm(now);
  const segs = [
    `FHS|^~\\&|||||${ts}||||${batch.fileControlId ? `R${batch.fileControlId}`.slice(0, 20) : ''}|${batch.fileControlId}`,
    `BHS|^~\\&|||||${ts}||||${batch.batchControlId ? `R${batch.batchControlId}`.slice(0, 20) : ''}|${batch.batchControlId}`,
    ...replies.flatMap((r) => splitSegments(r)),
    `BTS|${replies.length}`,
    'FTS|1',
  ];
  return segs.join('\r') + '\r';
}
