import { insertAuditEntries, type AuditEntry } from '../store/audit-trail.ts';
import type { Db } from '../store/db.ts';
import type { AuditRecord } from './audit-event.ts';

/** Options of the audit writer. */
export interface AuditSinkOptions {
  /** Longest an event waits before it is written (ms). */
  flushMs?: number;
  /** Events that trigger an immediate write. */
  batchSize?: number;
  /** Called when a write fails (the events are kept and retried). */
  onError?: (err: unknown) => void;
}

/**
 * Writes audit records to the audit trail in batches, one multi-row statement per batch, so auditing every read
 * costs a fraction of a statement per request. Events wait at most `flushMs` (200 ms); `close()` writes what is left.
 * Failed writes are retried at the next flush rather than dropped.
 */
export class AuditSink {
  private pending: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  /**
   * @param db - the database to write to (outside any request's transaction).
   * @param options - batching options.
   */
  constructor(
    private readonly db: Db,
    private readonly options: AuditSinkOptions = {},
  ) {}

  /** @param record - an event to record. */
  record(record: AuditRecord): void {
    if (this.closed) {
      // A request that outlived shutdown (its client went away): its writes failed with the closed database too.
      this.options.onError?.(new Error('audit event recorded after shutdown; not stored'));
      return;
    }
    this.pending.push({ record });
    if (this.pending.length >= (this.options.batchSize ?? 200)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 200);
  }

  /** Writes everything recorded so far; resolves once it is stored. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0);
    this.writing = this.writing.then(async () => {
      if (!batch.length) return;
      try {
        await insertAuditEntries(this.db, batch);
      } catch (err) {
        this.pending.unshift(...batch);
        this.options.onError?.(err);
      }
    });
    return this.writing;
  }

  /** Writes what is left; call before closing the database. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
