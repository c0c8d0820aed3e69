// Test helper: reads the NIST HL7 v2 immunization messages from the shared data folder (test/helpers/shared-data.ts).
import { readFileSync } from 'node:fs';
import { parseMessage, type ParsedMessage } from '../../src/hl7v2/message.ts';
import { sharedDataDir } from '../helpers/shared-data.ts';

/** The folder of the NIST messages. */
export const NIST_DIR = `${sharedDataDir()}hl7/`;

/** @param name - file name without `.hl7`. @returns the raw text. */
export function nistText(name: string): string {
  return readFileSync(`${NIST_DIR}${name}.hl7`, 'utf8');
}

/** @param name - file name without `.hl7`. @returns the parsed message (fails the test when unreadable). */
export function nistMessage(name: string): ParsedMessage {
  const r = parseMessage(nistText(name));
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.issues)}`);
  return r.message;
}

/** @param text - an HL7 message. @returns its segments as lines of fields. */
export function lines(text: string): string[][] {
  return text.split('\r').filter(Boolean).map((l) => l.split('|'));
}
