import { newResourceId } from '../fhir/resource-id.ts';
import type { Db, SqlValue } from './db.ts';
import { SqlParams } from './sql.ts';

/** Processing state of a logged message. */
export type Hl7MessageStatus = 'received' | 'processed' | 'failed';

/** What is known of a message when it arrives, before processing. */
export interface Hl7Received {
  receivedAt: Date;
  transport: string;
  senderFacilityId?: string;
  remoteAddress?: string;
  /** MSH-9 (`VXU^V04^VXU_V04`). */
  messageType?: string;
  /** MSH-21.1 (`Z22`). */
  profile?: string;
  /** MSH-10. */
  controlId?: string;
  raw: string;
}

/** The outcome of processing. */
export interface Hl7Outcome {
  status: Exclude<Hl7MessageStatus, 'received'>;
  reply: string;
  /** MSA-1. */
  ackCode?: string;
  /** ERR-3 codes and `app:`-prefixed ERR-5 codes. */
  errorCodes: string[];
  /** `Type/id` of the resources written. */
  touched: string[];
}

/** One logged message without its bodies (search results). */
export interface Hl7MessageSummary extends Omit<Hl7Received, 'raw'> {
  id: string;
  processedAt?: Date;
  status: Hl7MessageStatus;
  ackCode?: string;
  errorCodes: string[];
  touched: string[];
}

/** One logged message with the raw text and the reply. */
export interface Hl7MessageRecord extends Hl7MessageSummary {
  raw: string;
  reply?: string;
}

/** Filters of {@link Hl7MessageStore.search}. */
export interface Hl7MessageQuery {
  /** Sender facility id. */
  sender?: string;
  from?: Date;
  to?: Date;
  /** MSH-9 prefix: `VXU` or `VXU^V04`. */
  type?: string;
  ackCode?: string;
  count?: number;
  offset?: number;
}

/** Counts of messages received over a period. */
export interface Hl7Report {
  bySender: { sender: string | null; profile: string | null; ackCode: string | null; count: number }[];
  byErrorCode: { code: string; count: number }[];
}

const SUMMARY_COLUMNS = `id, received_at, processed_at, transport, sender_facility_id, remote_address, message_type, profile,
  control_id, ack_code, status, error_codes, touched`;

function toSummary(r: Record<string, unknown>): Hl7MessageSummary {
  const opt = (k: string): string | undefined => (r[k] == null ? undefined : String(r[k]));
  const out: Hl7MessageSummary = {
    id: String(r.id),
    receivedAt: new Date(r.received_at as string),
    transport: String(r.transport),
    status: r.status as Hl7MessageStatus,
    errorCodes: (r.error_codes as string[] | null) ?? [],
    touched: (r.touched as string[] | null) ?? [],
  };
  if (r.processed_at) out.processedAt = new Date(r.processed_at as string);
  const map: [keyof Hl7MessageSummary, string][] = [
    ['senderFacilityId', 'sender_facility_id'], ['remoteAddress', 'remote_address'], ['messageType', 'message_type'],
    ['profile', 'profile'], ['controlId', 'control_id'], ['ackCode', 'ack_code'],
  ];
  for (const [key, col] of map) {
    const v = opt(col);
    if (v !== undefined) (out as unknown as Record<string, unknown>)[key] = v;
  }
  return out;
}

/**
 * The HL7 v2 message log: every inbound message is saved on arrival, completed with its reply, and searchable by
 * sender, date, type and acknowledgement code for the state's message tools.
 */
export class Hl7MessageStore {
  /** @param db - the database. */
  constructor(private readonly db: Db) {}

  /**
   * Saves a message before it is processed, so nothing is lost if processing crashes.
   * @param m - the message as received.
   * @returns the new log id.
   */
  async saveReceived(m: Hl7Received): Promise<string> {
    // Time-ordered like resource ids, so the message log's primary key grows at its right-hand edge.
    const id = newResourceId();
    const v: SqlValue[] = [id, m.receivedAt, m.transport, m.senderFacilityId ?? null, m.remoteAddress ?? null, m.messageType ?? null, m.profile ?? null, m.controlId ?? null, m.raw];
    await this.db.query(
      `INSERT INTO hl7_message (id, received_at, transport, sender_facility_id, remote_address, message_type, profile, control_id, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      v,
      { prepareAs: 'hl7-received' },
    );
    return id;
  }

  /**
   * Completes a logged message with its outcome.
   * @param id - the log id from {@link saveReceived}.
   * @param o - reply, status, codes and touched resources.
   */
  async saveReply(id: string, o: Hl7Outcome): Promise<void> {
    await this.db.query(
      `UPDATE hl7_message SET processed_at = now(), status = $2, reply = $3, ack_code = $4, error_codes = $5, touched = $6 WHERE id = $1`,
      [id, o.status, o.reply, o.ackCode ?? null, o.errorCodes, o.touched],
      { prepareAs: 'hl7-reply' },
    );
  }

  /**
   * @param id - the log id.
   * @returns the message with its raw text and reply, or undefined.
   */
  async get(id: string): Promise<Hl7MessageRecord | undefined> {
    const rows = await this.db.query(`SELECT ${SUMMARY_COLUMNS}, raw, reply FROM hl7_message WHERE id = $1`, [id]);
    const r = rows[0];
    if (!r) return undefined;
    return { ...toSummary(r), raw: String(r.raw), ...(r.reply != null ? { reply: String(r.reply) } : {}) };
  }

  /**
   * Lists logged messages, newest first, without their bodies.
   * @param q - filters and paging (count at most 1000).
   * @returns the matching messages.
   */
  async search(q: Hl7MessageQuery): Promise<Hl7MessageSummary[]> {
    const p = new SqlParams();
    const where = this.conditions(q, p);
    if (q.type) where.push(`(message_type = ${p.add(q.type)} OR message_type LIKE ${p.add(`${q.type.replace(/[\\%_]/g, (c) => `\\${c}`)}^%`)})`);
    if (q.ackCode) where.push(`ack_code = ${p.add(q.ackCode)}`);
    const count = Math.min(Math.max(q.count ?? 50, 1), 1000);
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM hl7_message ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY received_at DESC, id DESC LIMIT ${p.add(count)} OFFSET ${p.add(Math.max(q.offset ?? 0, 0))}`;
    return (await this.db.query(sql, p.values)).map(toSummary);
  }

  /**
   * Counts messages received in a period by sender × profile × ACK code, and by error code.
   * @param q - the period (`from` inclusive, `to` exclusive) and optionally one sender.
   * @returns the counts.
   */
  async report(q: Pick<Hl7MessageQuery, 'from' | 'to' | 'sender'>): Promise<Hl7Report> {
    const p = new SqlParams();
    const where = this.conditions(q, p);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const bySender = await this.db.query<{ sender: string | null; profile: string | null; ack_code: string | null; n: string | number }>(
      `SELECT sender_facility_id AS sender, profile, ack_code, count(*) AS n FROM hl7_message ${w}
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      p.values,
    );
    const byError = await this.db.query<{ code: string; n: string | number }>(
      `SELECT code, count(*) AS n FROM hl7_message, unnest(error_codes) AS code ${w} GROUP BY code ORDER BY 2 DESC, 1`,
      p.values,
    );
    return {
      bySender: bySender.map((r) => ({ sender: r.sender, profile: r.profile, ackCode: r.ack_code, count: Number(r.n) })),
      byErrorCode: byError.map((r) => ({ code: r.code, count: Number(r.n) })),
    };
  }

  private conditions(q: Pick<Hl7MessageQuery, 'from' | 'to' | 'sender'>, p: SqlParams): string[] {
    const where: string[] = [];
    if (q.sender) where.push(`sender_facility_id = ${p.add(q.sender)}`);
    if (q.from) where.push(`received_at >= ${p.add(q.from)}`);
    if (q.to) where.push(`received_at < ${p.add(q.to)}`);
    return where;
  }
}
