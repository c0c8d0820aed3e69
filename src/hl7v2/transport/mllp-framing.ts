/**
 * MLLP framing (HL7 v2 Minimal Lower Layer Protocol, HL7 v2.5.1 Implementation Guide appendix C / "MLLP Release
 * 2" transport spec): each message is sent as `<VT> message <FS><CR>` (0x0B … 0x1C 0x0D).
 */

/** Start block (VT). */
export const MLLP_START = 0x0b;
/** End block (FS) followed by CR. */
export const MLLP_END = 0x1c;
const CR = 0x0d;

/**
 * Wraps a message in an MLLP frame.
 * @param message - the ER7 text.
 * @returns the framed bytes (UTF-8).
 */
export function frameMllp(message: string): Buffer {
  return Buffer.concat([Buffer.from([MLLP_START]), Buffer.from(message, 'utf8'), Buffer.from([MLLP_END, CR])]);
}

/** Callbacks of {@link MllpDecoder}. */
export interface MllpDecoderEvents {
  /** A complete frame's content. */
  frame(content: Buffer): void;
  /** A frame that grew past the limit: its first bytes (to read MSH) and its full size. */
  oversize(head: Buffer, size: number): void;
}

/** How many bytes of an oversize frame are kept, to read its header and log the start of it. */
const OVERSIZE_HEAD = 64 * 1024;

/**
 * Incremental MLLP decoder for one TCP connection: frames may be split across chunks or several may arrive in one
 * chunk. Bytes outside a frame (garbage, keep-alive noise) are dropped without buffering; a start block inside an
 * unfinished frame restarts the frame (the truncated one is never processed); frames above `maxBytes` are not
 * buffered past the limit and are reported through `oversize` when their end block arrives.
 */
export class MllpDecoder {
  private inside = false;
  private chunks: Buffer[] = [];
  private size = 0;
  private tooLarge = false;
  /** The previous chunk ended with FS: a CR at the start of the next one closes the frame. */
  private pendingEnd = false;
  /** Truncated frames dropped because a new start block arrived. */
  dropped = 0;

  /**
   * @param maxBytes - the largest frame content accepted.
   * @param events - frame and oversize callbacks.
   */
  constructor(
    private readonly maxBytes: number,
    private readonly events: MllpDecoderEvents,
  ) {}

  /**
   * Feeds bytes received from the socket.
   * @param chunk - the bytes.
   */
  push(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (!this.inside) {
        const start = chunk.indexOf(MLLP_START, i);
        if (start < 0) return;
        this.begin();
        i = start + 1;
        continue;
      }
      if (this.pendingEnd) {
        this.pendingEnd = false;
        if (chunk[i] === CR) {
          this.finish();
          i += 1;
          continue;
        }
        this.append(Buffer.from([MLLP_END]));
      }
      const end = chunk.indexOf(MLLP_END, i);
      const restart = chunk.indexOf(MLLP_START, i);
      if (restart >= 0 && (end < 0 || restart < end)) {
        this.dropped += 1;
        this.begin();
        i = restart + 1;
        continue;
      }
      if (end < 0) {
        this.append(chunk.subarray(i));
        return;
      }
      this.append(chunk.subarray(i, end));
      if (end + 1 >= chunk.length) {
        this.pendingEnd = true;
        return;
      }
      if (chunk[end + 1] === CR) {
        this.finish();
        i = end + 2;
      } else {
        // A lone FS is data (not valid HL7, but the processor answers it, not the framing).
        this.append(chunk.subarray(end, end + 1));
        i = end + 1;
      }
    }
  }

  private begin(): void {
    this.inside = true;
    this.chunks = [];
    this.size = 0;
    this.tooLarge = false;
    this.pendingEnd = false;
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.tooLarge) return;
    if (this.size > this.maxBytes) {
      this.tooLarge = true;
      const kept = Buffer.concat([...this.chunks, bytes]);
      this.chunks = [kept.subarray(0, Math.min(OVERSIZE_HEAD, this.maxBytes))];
      return;
    }
    this.chunks.push(bytes);
  }

  private finish(): void {
    this.inside = false;
    const content = Buffer.concat(this.chunks);
    this.chunks = [];
    if (this.tooLarge) this.events.oversize(content, this.size);
    else this.events.frame(content);
  }
}
