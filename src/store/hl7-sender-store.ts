import { createHmac, randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import type { Db } from './db.ts';

/** A registered HL7 v2 sender as stored (without its password hash). */
export interface Hl7SenderRow {
  facilityId: string;
  organizationId: string;
  name: string;
  username: string;
  created: Date;
}


interface SenderDbRow {
  facility_id: string;
  organization_id: string;
  name: string;
  username: string;
  password_hash: string;
  created: Date;
}

function toSender(r: SenderDbRow): Hl7SenderRow {
  return { facilityId: r.facility_id, organizationId: r.organization_id, name: r.name, username: r.username, created: new Date(r.created) };
}

/** How long a sender row read from the database is reused before it is read again. */
const SENDER_REUSE_MS = 30_000;

/** The registered HL7 v2 senders (CDC IG transport: username, password and facilityID of SubmitSingleMessage). */
export class Hl7SenderStore {
  /** Fixed hash compared against when the username is unknown, so timing does not reveal which usernames exist. */
  private dummyHash?: Promise<string>;

  /**
   * Recently verified credentials (keyed by an HMAC under a per-process key, never the password), so a sender posting
   * thousands of SOAP messages does not pay a memory-hard hash on each. Only a speed-up: each node can verify alone.
   */
  private readonly verified = new Map<string, number>();
  private readonly cacheKey = randomBytes(32);

  /**
   * Registered senders recently read, by facility id and by username, until the time in ms they may be reused: a
   * sender's row is never changed by the registry once added (there is no update), so this only spares the message
   * path a lookup per message. Unknown facilities and usernames are not kept, so a new registration counts at once;
   * the time limit bounds how long a row edited or deleted by hand in the database is still used.
   */
  private readonly recent = new Map<string, { row: SenderDbRow; until: number }>();

  /** @param db - the database. */
  constructor(private readonly db: Db) {}

  private async lookup(by: 'facility' | 'username', value: string): Promise<SenderDbRow | undefined> {
    const key = `${by}\0${value}`;
    const hit = this.recent.get(key);
    if (hit && hit.until > Date.now()) return hit.row;
    const rows =
      by === 'facility'
        ? await this.db.query<SenderDbRow>('SELECT * FROM hl7_sender WHERE facility_id = $1', [value], { prepareAs: 'sender-by-facility' })
        : await this.db.query<SenderDbRow>('SELECT * FROM hl7_sender WHERE username = $1', [value], { prepareAs: 'sender-by-username' });
    const row = rows[0];
    if (!row) return undefined;
    if (this.recent.size > 1000) this.recent.clear();
    this.recent.set(key, { row, until: Date.now() + SENDER_REUSE_MS });
    return row;
  }

  private async checkPassword(username: string, password: string, hash: string): Promise<boolean> {
    const key = createHmac('sha256', this.cacheKey).update(`${username}\0${password}\0${hash}`).digest('base64url');
    const until = this.verified.get(key);
    if (until && until > Date.now()) return true;
    if (!(await verifyPassword(password, hash))) return false;
    if (this.verified.size > 1000) this.verified.clear();
    this.verified.set(key, Date.now() + 5 * 60_000);
    return true;
  }

  /**
   * Registers a sender.
   * @param s - facility id, organization id, name, username and clear password.
   * @returns the stored sender.
   * @throws when the facility id or the username is already registered.
   */
  async add(s: { facilityId: string; organizationId: string; name: string; username: string; password: string }): Promise<Hl7SenderRow> {
    const hash = await hashPassword(s.password);
    const rows = await this.db.query<SenderDbRow>(
      `INSERT INTO hl7_sender (facility_id, organization_id, name, username, password_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING *`,
      [s.facilityId, s.organizationId, s.name, s.username, hash],
    );
    if (!rows[0]) throw new Error(`a sender with facility id "${s.facilityId}" or username "${s.username}" is already registered`);
    return toSender(rows[0]);
  }

  /** @returns every registered sender, by facility id. */
  async list(): Promise<Hl7SenderRow[]> {
    return (await this.db.query<SenderDbRow>('SELECT * FROM hl7_sender ORDER BY facility_id')).map(toSender);
  }

  /**
   * @param facilityId - MSH-4.1 or SOAP facilityID.
   * @returns the sender registered with that facility id.
   */
  async byFacility(facilityId: string): Promise<Hl7SenderRow | undefined> {
    const row = await this.lookup('facility', facilityId);
    return row ? toSender(row) : undefined;
  }

  /**
   * Authenticates a SOAP sender: the password must match the username, and the facility id, when given, must be the
   * one registered for that username.
   * @param username - SubmitSingleMessage username.
   * @param password - SubmitSingleMessage password.
   * @param facilityId - SubmitSingleMessage facilityID (optional in the WSDL).
   * @returns the sender, or undefined when the credentials or the facility do not match.
   */
  async authenticate(username: string, password: string, facilityId?: string): Promise<Hl7SenderRow | undefined> {
    const row = await this.lookup('username', username);
    this.dummyHash ??= hashPassword('not-a-real-password');
    const ok = row ? await this.checkPassword(username, password, row.password_hash) : await verifyPassword(password, await this.dummyHash);
    if (!row || !ok) return undefined;
    if (facilityId && facilityId !== row.facility_id) return undefined;
    return toSender(row);
  }
}
