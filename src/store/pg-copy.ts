import type pg from 'pg';

/**
 * `COPY … FROM STDIN` over a `pg` client without an extra dependency: a "submittable" query (the extension point
 * `pg` offers, also used by pg-copy-streams) that sends the whole payload when the server asks for it. The
 * payload is COPY text format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2).
 */
class CopyFromText {
  private readonly chunks: Buffer[];
  constructor(
    readonly text: string,
    data: string,
    private readonly done: (err: Error | null, rows: number) => void,
  ) {
    // Frames of at most 1 MB, so one huge batch never becomes one huge protocol message.
    const buf = Buffer.from(data, 'utf8');
    this.chunks = [];
    for (let at = 0; at < buf.length; at += 1 << 20) this.chunks.push(buf.subarray(at, at + (1 << 20)));
  }
  private rows = 0;
  private error: Error | null = null;
  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.chunks) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }
  handleCommandComplete(msg: { text?: string }): void {
    this.rows = Number(/(\d+)$/.exec(msg.text ?? '')?.[1] ?? 0);
  }
  handleError(err: Error): void {
    this.error = err;
  }
  handleReadyForQuery(): void {
    this.done(this.error, this.rows);
  }
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCopyData(): void {}
}

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * Runs `COPY <table> (<columns>) FROM STDIN` with a COPY-text payload on one client.
 * @param client - a connected client (inside the caller's transaction, if any).
 * @param sql - the COPY statement.
 * @param data - rows in COPY text format, each ending with a newline.
 * @returns the number of rows copied.
 */
export function copyFromText(client: pg.ClientBase, sql: string, data: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const copy = new CopyFromText(sql, data, (err, rows) => (err ? reject(err) : resolve(rows)));
    (client as unknown as { query(q: unknown): void }).query(copy);
  });
}
