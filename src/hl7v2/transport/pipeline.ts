import type { Hl7MessageStore } from '../../store/hl7-message-store.ts';
import { buildAck, HL7_ERROR } from './ack.ts';
import { outcomeOfReply, readHeader } from './er7-header.ts';
import type { Hl7Handler, Hl7Processor, InboundMessage } from './types.ts';

/** Dependencies of {@link createHl7Pipeline}. */
export interface PipelineDeps {
  store: Hl7MessageStore;
  processor: Hl7Processor;
  /** Called when the processor throws; receives the log id and the error (never the message text). */
  onError?: (logId: string, err: unknown) => void;
}

/**
 * Wraps a processor with the message log: save the message as received (before anything can fail, CDC IG: no
 * message is ever dropped), run the processor on the text with segments separated by CR only, save the reply with
 * its MSA-1, ERR codes and touched resources (unless the processor saved it in the transaction that stored the
 * data: `logged`), and return the reply. When the processor throws, the message is marked failed and answered with
 * an AR ACK carrying ERR-3 = 207 (application internal error), so the sender always gets an acknowledgement.
 * @param deps - the log, the processor and an error hook.
 * @returns the handler every transport calls.
 */
export function createHl7Pipeline(deps: PipelineDeps): Hl7Handler {
  return async (msg: InboundMessage) => {
    const header = readHeader(msg.raw);
    let logId: string;
    try {
      logId = await saveReceived(deps.store, msg, header);
    } catch (err) {
      // The log itself is unavailable (database down): still answer, and let the sender retry later.
      deps.onError?.('unsaved', err);
      return buildAck({ ...(header ? { header } : {}), code: 'AR', error: { code: HL7_ERROR.internal, text: 'Message could not be stored; please resend later' } });
    }
    try {
      // SOAP (XML end-of-line normalisation) and HTTP clients often turn CR into LF or CRLF: the processor gets CR.
      const returned = await deps.processor({ ...msg, raw: msg.raw.replace(/\r\n|\n/g, '\r'), messageId: logId });
      const result = typeof returned === 'string' ? { reply: returned } : returned;
      if (!result.logged) await deps.store.saveReply(logId, outcomeOfReply(result.reply, result.touched ?? []));
      return result.reply;
    } catch (err) {
      deps.onError?.(logId, err);
      const reply = buildAck({ ...(header ? { header } : {}), code: 'AR', error: { code: HL7_ERROR.internal, text: `Internal error; message logged as ${logId}` } });
      await deps.store.saveReply(logId, { status: 'failed', reply, ackCode: 'AR', errorCodes: [HL7_ERROR.internal], touched: [] }).catch(() => undefined);
      return reply;
    }
  };
}

function saveReceived(store: Hl7MessageStore, msg: InboundMessage, header: ReturnType<typeof readHeader>): Promise<string> {
  return store.saveReceived({
    receivedAt: msg.receivedAt,
    transport: msg.transport,
    // PostgreSQL text cannot hold NUL; garbage input must still be stored.
    raw: msg.raw.replace(/\0/g, '\uFFFD'),
    ...(msg.sender ? { senderFacilityId: msg.sender.facilityId } : header?.sendingFacilityId ? { senderFacilityId: header.sendingFacilityId.slice(0, 200) } : {}),
    ...(msg.remoteAddress ? { remoteAddress: msg.remoteAddress } : {}),
    ...(header?.messageType ? { messageType: header.messageType.slice(0, 200) } : {}),
    ...(header?.profile ? { profile: header.profile.slice(0, 200) } : {}),
    ...(header?.controlId ? { controlId: header.controlId.slice(0, 200) } : {}),
  });
}

/**
 * Answers a message the transport rejected by itself (unknown sender, oversize) and logs it with that answer, so
 * rejected input is stored like everything else.
 * @param store - the message log.
 * @param msg - the message (raw may be truncated by the caller).
 * @param error - the ERR to answer with.
 * @returns the AR ACK.
 */
export async function rejectMessage(store: Hl7MessageStore, msg: InboundMessage, error: { code: string; text: string }): Promise<string> {
  return createHl7Pipeline({ store, processor: async () => buildAck({ ...withHeader(msg.raw), code: 'AR', error }) })(msg);
}

/**
 * The header of a raw message as `buildAck`'s optional `header` option (absent when the header is unreadable).
 * @param raw - the message text.
 * @returns `{ header }` or `{}`.
 */
export function withHeader(raw: string): { header?: NonNullable<ReturnType<typeof readHeader>> } {
  const header = readHeader(raw);
  return header ? { header } : {};
}
