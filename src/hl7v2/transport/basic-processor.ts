import { buildAck, HL7_ERROR } from './ack.ts';
import { readHeader } from './er7-header.ts';
import type { Hl7Processor } from './types.ts';

/**
 * A stand-in processor that stores nothing: AA echoing MSH-10 for anything that starts with a readable MSH, AR with
 * ERR 100 otherwise. It lets the transports and the message log run end to end until the real processor (parse,
 * VXU→FHIR, RSP) is wired in its place through `registerHl7(app, { processor })`.
 * @param msg - the inbound message.
 * @returns the ACK text.
 */
export const basicProcessor: Hl7Processor = async (msg) => {
  const header = readHeader(msg.raw);
  if (!header) {
    return buildAck({ code: 'AR', error: { code: HL7_ERROR.segmentSequence, text: 'The message does not start with an MSH segment' } });
  }
  if (!header.controlId) {
    return buildAck({ header, code: 'AR', error: { code: '101', text: 'MSH-10 (message control id) is required' } });
  }
  return buildAck({ header, code: 'AA' });
};
