import { randomUUID } from 'node:crypto';
import type { Er7Header } from './er7-header.ts';

/** HL7 table 0357 codes the transports answer with themselves. */
export const HL7_ERROR = {
  /** Segment sequence error: the text does not start with MSH. */
  segmentSequence: '100',
  /** Unsupported message type. */
  unsupportedMessageType: '200',
  /** Application internal error (also: sender not registered, message too large). */
  internal: '207',
} as const;

const ERROR_TEXT: Record<string, string> = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '200': 'Unsupported message type',
  '207': 'Application internal error',
};

/** Options of {@link buildAck}. */
export interface AckOptions {
  /** The header of the message acknowledged, when it could be read. */
  header?: Er7Header;
  /** MSA-1. */
  code: 'AA' | 'AE' | 'AR';
  /** One error for the ERR segment (required for AE/AR). */
  error?: { code: string; text: string };
  /** Timestamp of MSH-7 (tests pass a fixed one). */
  now?: Date;
}

/**
 * Escapes text for an ER7 field with the default delimiters (HL7 v2.5.1 §2.7.4).
 * @param text - plain text.
 * @returns the escaped text.
 */
export function escapeEr7(text: string): string {
  return text
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/~/g, '\\R\\')
    .replace(/&/g, '\\T\\')
    .replace(/[\r\n]+/g, ' ');
}

/**
 * Formats an HL7 DTM timestamp with seconds and UTC offset (`YYYYMMDDHHMMSS+0000`).
 * @param d - the instant.
 * @returns the DTM text.
 */
export function formatDtm(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + '+0000';
}

/** Echoes a header field only when it is plain text with default delimiters (never trust raw input in output). */
function safe(value: string | undefined, h: Er7Header | undefined): string {
  if (!value || !h || h.fieldSeparator !== '|' || h.componentSeparator !== '^') return '';
  return value.replace(/[\r\n|]/g, '').slice(0, 200);
}

/**
 * Builds a minimal acknowledgement (ACK, CDC IG profile Z23): MSH with sender and receiver swapped, MSA echoing
 * MSH-10 of the message acknowledged, and an ERR segment when an error is given. Used by the transports when they
 * must answer without the processor (garbage, unknown sender, oversize, crash) and by the basic processor.
 * @param o - what to acknowledge.
 * @returns the ACK in ER7, segments separated by CR.
 */
export function buildAck(o: AckOptions): string {
  const h = o.header;
  const msh = [
    'MSH',
    '^~\\&',
    safe(h?.receivingApplication, h),
    safe(h?.receivingFacility, h),
    safe(h?.sendingApplication, h),
    safe(h?.sendingFacility, h),
    formatDtm(o.now ?? new Date()),
    '',
    `ACK^${safe(h?.event, h)}^ACK`,
    randomUUID().replace(/-/g, '').slice(0, 20),
    safe(h?.processingId, h) || 'P',
    '2.5.1',
    '',
    '',
    'NE',
    'NE',
    '',
    '',
    '',
    '',
    'Z23^CDCPHINVS',
  ].join('|');
  const segments = [msh, `MSA|${o.code}|${safe(h?.controlId, h)}`];
  if (o.error) {
    const name = ERROR_TEXT[o.error.code] ?? 'Error';
    const severity = o.code === 'AA' ? 'W' : 'E';
    // ERR-3 HL7 error code (table 0357), ERR-4 severity, ERR-8 user message (CDC IG ERR segment).
    segments.push(['ERR', '', '', `${o.error.code}^${name}^HL70357`, severity, '', '', '', escapeEr7(o.error.text)].join('|'));
  }
  return segments.join('\r') + '\r';
}
