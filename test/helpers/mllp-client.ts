import { connect, type Socket } from 'node:net';
import { frameMllp, MllpDecoder } from '../../src/hl7v2/transport/mllp-framing.ts';

/** A bare MLLP client for tests and benchmarks: raw writes, and replies read in order. */
export class MllpTestClient {
  private readonly replies: string[] = [];
  private readonly waiting: ((reply: string) => void)[] = [];

  private constructor(readonly socket: Socket) {
    const decoder = new MllpDecoder(64 * 1024 * 1024, {
      frame: (content) => this.deliver(content.toString('utf8')),
      oversize: () => this.deliver(''),
    });
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
  }

  /**
   * @param port - the MLLP port on 127.0.0.1.
   * @returns a connected client.
   */
  static connect(port: number): Promise<MllpTestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => resolve(new MllpTestClient(socket)));
      socket.once('error', reject);
    });
  }

  private deliver(reply: string): void {
    const w = this.waiting.shift();
    if (w) w(reply);
    else this.replies.push(reply);
  }

  /** @returns the next reply frame (waits up to 10 s). */
  nextReply(): Promise<string> {
    const r = this.replies.shift();
    if (r !== undefined) return Promise.resolve(r);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no MLLP reply within 10 s')), 10_000);
      this.waiting.push((v) => {
        clearTimeout(timer);
        resolve(v);
      });
    });
  }

  /** @param bytes - bytes written as they are (partial frames, garbage). */
  writeRaw(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /**
   * Sends one framed message and waits for its reply.
   * @param message - the ER7 text.
   * @returns the reply text.
   */
  async send(message: string): Promise<string> {
    this.socket.write(frameMllp(message));
    return this.nextReply();
  }

  /** Closes the connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.end(() => resolve());
      this.socket.destroy();
    });
  }
}
