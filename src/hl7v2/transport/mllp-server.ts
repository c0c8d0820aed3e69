import { isUtf8 } from 'node:buffer';
import { createServer, type Server, type Socket } from 'node:net';
import type { Hl7MessageStore } from '../../store/hl7-message-store.ts';
import type { Hl7SenderStore } from '../../store/hl7-sender-store.ts';
import { buildAck, HL7_ERROR } from './ack.ts';
import { answerBatch, isBatch } from './batch.ts';
import { readHeader } from './er7-header.ts';
import { frameMllp, MllpDecoder } from './mllp-framing.ts';
import { rejectMessage } from './pipeline.ts';
import type { Hl7Handler, InboundMessage } from './types.ts';

/** A pino-like logger (structured fields first); never given message text. */
export interface TransportLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Options of {@link startMllpServer}. */
export interface MllpServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Largest frame accepted; larger ones are answered AR without being buffered. */
  maxBytes: number;
  /** The logged pipeline (see `createHl7Pipeline`). */
  handle: Hl7Handler;
  store: Hl7MessageStore;
  senders: Hl7SenderStore;
  log?: TransportLog;
  /** Idle connections are closed after this long (default 10 minutes). */
  idleTimeoutMs?: number;
}

/** A running MLLP listener. */
export interface MllpServer {
  /** The port actually bound. */
  readonly port: number;
  /** Stops accepting, lets in-flight messages finish (up to 5 s), then closes the connections. */
  close(): Promise<void>;
}

function decode(bytes: Buffer): string {
  // MSH-18 is usually absent or ASCII/UTF-8; a frame that is not valid UTF-8 is most likely ISO 8859-1.
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

/**
 * Answers one message received over MLLP. The sender is identified by MSH-4.1 (sending facility) matched to a
 * registered sender (CDC IG for Immunization Messaging: MSH-4 identifies the sending organization); an unknown
 * facility or an unreadable header is answered AR and logged without reaching the processor.
 * @param o - the server options (store, senders, handler).
 * @param raw - the message text.
 * @param remoteAddress - the peer address.
 * @returns the reply text.
 */
export async function answerMllpMessage(o: Pick<MllpServerOptions, 'handle' | 'store' | 'senders'>, raw: string, remoteAddress?: string): Promise<string> {
  const msg: InboundMessage = { raw, transport: 'mllp', receivedAt: new Date(), ...(remoteAddress ? { remoteAddress } : {}) };
  const header = readHeader(raw);
  if (!header) return rejectMessage(o.store, msg, { code: HL7_ERROR.segmentSequence, text: 'The message does not start with an MSH segment' });
  const sender = header.sendingFacilityId ? await o.senders.byFacility(header.sendingFacilityId) : undefined;
  if (!sender) return rejectMessage(o.store, msg, { code: HL7_ERROR.internal, text: 'The sending facility (MSH-4) is not registered with this IIS' });
  return o.handle({ ...msg, sender: { organizationId: sender.organizationId, facilityId: sender.facilityId, name: sender.name } });
}

/**
 * Answers one MLLP frame: a single message, or a batch file whose messages are each processed in order and
 * answered with a batch of acknowledgements (HL7 v2.5.1 §2.10.3).
 * @param o - the server options.
 * @param raw - the frame's text.
 * @param remoteAddress - the peer address.
 * @returns the reply text.
 */
export async function answerMllpFrame(o: Pick<MllpServerOptions, 'handle' | 'store' | 'senders'>, raw: string, remoteAddress?: string): Promise<string> {
  if (!isBatch(raw)) return answerMllpMessage(o, raw, remoteAddress);
  return answerBatch(raw, (m) => answerMllpMessage(o, m, remoteAddress));
}

/**
 * Starts the MLLP listener (HL7 MLLP over TCP). Each connection is answered in order, one frame at a time; several
 * connections run concurrently. Nothing a peer sends can crash the server: errors are answered with an AR ACK.
 * @param o - address, limits and the message handler.
 * @returns the running listener.
 */
export async function startMllpServer(o: MllpServerOptions): Promise<MllpServer> {
  const sockets = new Map<Socket, Promise<void>>();
  const server: Server = createServer((socket) => {
    const remote = socket.remoteAddress;
    let queue = Promise.resolve();
    let pending = 0;
    socket.setTimeout(o.idleTimeoutMs ?? 600_000, () => socket.end());
    socket.on('error', (err) => o.log?.warn({ code: (err as NodeJS.ErrnoException).code }, 'MLLP connection error'));
    const reply = (work: () => Promise<string>): void => {
      pending += 1;
      if (pending > 50) socket.pause();
      // A frame still queued when its connection is gone (peer left, or shutdown gave up waiting) is not started:
      // nobody could receive its ACK, so the sender will send it again; it was not logged or stored.
      const answer = (): Promise<void> =>
        work()
          .catch((err: unknown) => {
            o.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'MLLP message handling failed');
            return buildAck({ code: 'AR', error: { code: HL7_ERROR.internal, text: 'Application internal error' } });
          })
          .then((text) => {
            if (!socket.destroyed && socket.writable) socket.write(frameMllp(text));
          });
      queue = queue
        // Let pending socket events (a hang-up, other connections' frames) run before the next frame starts.
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => (socket.destroyed || !socket.writable ? undefined : answer()))
        .finally(() => {
          pending -= 1;
          if (pending < 10 && socket.isPaused()) socket.resume();
        });
      sockets.set(socket, queue);
    };
    const decoder = new MllpDecoder(o.maxBytes, {
      frame: (content) => reply(() => answerMllpFrame(o, decode(content), remote)),
      oversize: (head, size) =>
        reply(() =>
          rejectMessage(o.store, { raw: decode(head), transport: 'mllp', receivedAt: new Date(), ...(remote ? { remoteAddress: remote } : {}) }, {
            code: HL7_ERROR.internal,
            text: `Message of ${size} bytes exceeds the limit of ${o.maxBytes} bytes`,
          }),
        ),
    });
    sockets.set(socket, queue);
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => o.log?.error({ err: err.message }, 'MLLP listener error'));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  o.log?.info({ port }, 'MLLP listener started');
  return {
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const drained = Promise.allSettled([...sockets.values()]);
      await Promise.race([drained, new Promise((r) => setTimeout(r, 5000).unref())]);
      for (const s of sockets.keys()) s.destroy();
      await closed;
    },
  };
}
