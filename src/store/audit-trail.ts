import type { AuditEvent } from '@medplum/fhirtypes';
import { badRequest } from '../fhir/outcomes.ts';
import { dateRange } from '../fhir/search/date-range.ts';
import type { SearchFilter, SearchRequest } from '../fhir/search/search-request.ts';
import { splitPrefix } from '../fhir/search/validate-values.ts';
import { AUDIT_SYSTEMS, auditEventOf, type AuditRecord } from '../registry/audit-event.ts';
import type { Db } from './db.ts';
import type { SearchResult } from './search/run-search.ts';
import { escapeLike, SqlParams } from './sql.ts';

/** The resource type the audit trail serves. */
export const AUDIT_EVENT = 'AuditEvent';

/** One entry to store: its record, and for an event written elsewhere its own JSON. */
export interface AuditEntry {
  record: AuditRecord;
  /** The AuditEvent's JSON text, kept for imported events (the registry's own are rebuilt from the record). */
  content?: string;
}

/**
 * Appends entries to the audit trail in one statement. The trail is a narrow append-only table (one row per event,
 * five indexes) rather than resources with search-index rows: every read of patient data writes an event, and a
 * row here costs a fraction of what the generic store's resource, history and index rows cost.
 * @param db - the database.
 * @param entries - the entries, in the order they happened.
 */
export async function insertAuditEntries(db: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  // One native JSON.stringify for the whole batch, unpacked in the database (as the write buffer does).
  const rows = entries.map(({ record: r, content }) => [
    r.recorded, r.type, r.subtype, r.action, r.outcome, r.status ?? null, r.agentName ?? null, r.agentRef ?? null, r.clientId ?? null,
    r.role ?? null, r.address ?? null, r.query ?? null, r.entities, r.patientCount, content ?? null,
  ]);
  await db.query(
    `INSERT INTO audit_event (recorded, type, subtype, action, outcome, status, agent_name, agent_ref, client_id, role, address, query, entities, patient_count, content)
     SELECT (e->>0)::timestamptz, e->>1, e->>2, e->>3, e->>4, (e->>5)::int, e->>6, e->>7, e->>8, e->>9, e->>10, e->>11,
       ARRAY(SELECT jsonb_array_elements_text(e->12)), (e->>13)::int, (e->>14)::jsonb
     FROM jsonb_array_elements($1::jsonb) AS x(e)`,
    [JSON.stringify(rows)],
    { prepareAs: 'audit-insert' },
  );
}

const COLUMNS = `seq::text AS id, to_char(recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded, type, subtype,
  action, outcome, status, agent_name, agent_ref, client_id, role, address, query, to_json(entities)::text AS entities, patient_count,
  content::text AS content`;

interface Row {
  id: string;
  recorded: string;
  type: string;
  subtype: string;
  action: string;
  outcome: string;
  status: number | null;
  agent_name: string | null;
  agent_ref: string | null;
  client_id: string | null;
  role: string | null;
  address: string | null;
  query: string | null;
  entities: string;
  patient_count: number;
  content: string | null;
}

function eventOf(row: Row): AuditEvent {
  const meta = { versionId: '1', lastUpdated: row.recorded };
  if (row.content) return { ...(JSON.parse(row.content) as AuditEvent), id: row.id, meta };
  const opt = (key: keyof AuditRecord, value: string | number | null): Partial<AuditRecord> => (value === null ? {} : { [key]: value });
  const record: AuditRecord = {
    recorded: row.recorded,
    type: row.type,
    subtype: row.subtype,
    action: row.action,
    outcome: row.outcome,
    entities: JSON.parse(row.entities) as string[],
    patientCount: row.patient_count,
    ...opt('status', row.status),
    ...opt('agentName', row.agent_name),
    ...opt('agentRef', row.agent_ref),
    ...opt('clientId', row.client_id),
    ...opt('role', row.role),
    ...opt('address', row.address),
    ...opt('query', row.query),
  };
  return auditEventOf(record, row.id);
}

/**
 * Reads one event of the audit trail (https://hl7.org/fhir/R4/http.html#read); events are never changed, so their
 * only version is 1.
 * @param db - the database.
 * @param id - the event's id.
 * @returns the AuditEvent, or undefined when there is none.
 */
export async function readAuditEvent(db: Db, id: string): Promise<AuditEvent | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM audit_event WHERE seq = $1::bigint`, [id]);
  return rows[0] ? eventOf(rows[0]) : undefined;
}

/** The token columns and the code system each holds (the event's own system for `altid`: none). */
const TOKEN_COLUMNS: Record<string, { column: string; system?: string }> = {
  type: { column: 'type', system: AUDIT_SYSTEMS.type },
  subtype: { column: 'subtype', system: AUDIT_SYSTEMS.subtype },
  action: { column: 'action', system: AUDIT_SYSTEMS.action },
  outcome: { column: 'outcome', system: AUDIT_SYSTEMS.outcome },
  altid: { column: 'client_id' },
};

/** A reference search value as `Type/id` (a full URL on this server loses its base). */
function referenceOf(filter: SearchFilter, raw: string, baseUrl: string, defaultType?: string): string {
  const value = raw.startsWith(`${baseUrl}/`) ? raw.slice(baseUrl.length + 1) : raw;
  const type = filter.modifier && /^[A-Z]/.test(filter.modifier) ? filter.modifier : undefined;
  if (/^[A-Z][A-Za-z]+\/[^/]+$/.test(value)) return value;
  if (type ?? defaultType) return `${type ?? defaultType}/${value}`;
  throw badRequest(`${filter.code} needs a typed reference (Type/id) in the audit trail, got "${raw}"`, filter.code);
}

/** The condition on a point in time `t` of a search date with its prefix (https://hl7.org/fhir/R4/search.html#prefix). */
function instantCondition(t: string, raw: string, p: SqlParams, code: string): string {
  const { prefix, value } = splitPrefix(raw);
  const range = dateRange(value);
  if (!range) throw badRequest(`Invalid date "${raw}" for parameter "${code}"`, code);
  const low = (): string => `${p.add(range.low)}::timestamptz`;
  const high = (): string => `${p.add(range.high)}::timestamptz`;
  switch (prefix) {
    case 'gt':
    case 'sa':
      return `${t} >= ${high()}`;
    case 'lt':
    case 'eb':
      return `${t} < ${low()}`;
    case 'ge':
      return `${t} >= ${low()}`;
    case 'le':
      return `${t} < ${high()}`;
    case 'ne':
      return `NOT (${t} >= ${low()} AND ${t} < ${high()})`;
    default:
      return `(${t} >= ${low()} AND ${t} < ${high()})`;
  }
}

/** The SQL condition of one filter of an audit-trail search, its values OR-ed. */
function filterCondition(f: SearchFilter, p: SqlParams, baseUrl: string): string {
  const unsupported = (): never => {
    throw badRequest(`${f.code}${f.modifier ? `:${f.modifier}` : ''} is not supported on AuditEvent`, f.code);
  };
  if (f.chain || f.has) unsupported();
  const anyOf = (parts: string[]): string => (parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`);
  switch (f.code) {
    case '_id':
      if (f.modifier) unsupported();
      return `seq = ANY(${p.add(f.values.filter((v) => /^\d{1,18}$/.test(v)))}::bigint[])`;
    case 'date':
    case '_lastUpdated':
      if (f.modifier) unsupported();
      return anyOf(f.values.map((v) => instantCondition('recorded', v, p, f.code)));
    case 'patient':
    case 'entity':
    case 'agent': {
      if (f.modifier && !/^[A-Z]/.test(f.modifier)) unsupported();
      const refs = f.values.map((v) => referenceOf(f, v, baseUrl, f.code === 'patient' ? 'Patient' : undefined));
      if (f.code === 'agent') return `agent_ref = ANY(${p.add(refs)}::text[])`;
      const inEntities = anyOf(refs.map((r) => `entities @> ARRAY[${p.add(r)}::text]`));
      return f.code === 'patient' ? `(${inEntities} OR agent_ref = ANY(${p.add(refs)}::text[]))` : inEntities;
    }
    case 'address': {
      if (f.modifier === 'exact') return `address = ANY(${p.add(f.values)}::text[])`;
      if (f.modifier && f.modifier !== 'contains') unsupported();
      const wrap = (v: string): string => (f.modifier === 'contains' ? `%${escapeLike(v)}%` : `${escapeLike(v)}%`);
      return anyOf(f.values.map((v) => `address ILIKE ${p.add(wrap(v))}`));
    }
    default: {
      const token = TOKEN_COLUMNS[f.code];
      if (!token || (f.modifier && f.modifier !== 'not')) return unsupported();
      const parts = f.values.map((raw) => {
        const bar = raw.indexOf('|');
        const system = bar < 0 ? undefined : raw.slice(0, bar);
        const code = bar < 0 ? raw : raw.slice(bar + 1);
        // A system other than the element's own never matches; `system|` alone matches any code of it.
        if (system !== undefined && system !== (token.system ?? '')) return 'false';
        return code ? `${token.column} = ${p.add(code)}` : `${token.column} IS NOT NULL`;
      });
      return f.modifier === 'not' ? `NOT coalesce(${anyOf(parts)}, false)` : anyOf(parts);
    }
  }
}

/**
 * Searches the audit trail as AuditEvent (https://hl7.org/fhir/R4/auditevent.html#search) with the parameters the
 * CapabilityStatement offers for it: `_id`, `_lastUpdated` and `date` (the recorded instant), `patient`, `entity`,
 * `agent`, `altid`, `address`, `type`, `subtype`, `action` and `outcome`, the Patient compartment, `_sort` on the
 * date or id, `_total`, and paging: keyset pages in recording order, offset pages when sorted. Includes, chains and
 * other modifiers are refused with 400 rather than ignored.
 * @param db - the database.
 * @param request - the parsed search (its single type is AuditEvent).
 * @param baseUrl - this server's FHIR base, stripped from absolute references.
 * @returns the result.
 */
export async function searchAuditTrail(db: Db, request: SearchRequest, baseUrl: string): Promise<SearchResult> {
  if (request.include.length || request.revinclude.length) throw badRequest('_include and _revinclude are not supported on AuditEvent', request.include.length ? '_include' : '_revinclude');
  const p = new SqlParams();
  const where = request.filters.map((f) => filterCondition(f, p, baseUrl));
  if (request.compartment) {
    const ref = `${request.compartment.type}/${request.compartment.id}`;
    where.push(`(entities @> ARRAY[${p.add(ref)}::text] OR agent_ref = ${p.add(ref)})`);
  }
  const cond = where.length ? where.join(' AND ') : 'true';
  let total: number | undefined;
  if (request.total !== 'none' || request.summary === 'count') {
    total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event WHERE ${cond}`, p.values))[0]?.n ?? 0;
  }
  if (request.summary === 'count' || request.count === 0) return { matches: [], included: [], total, hasMore: false, paging: { kind: 'offset' } };
  const order = request.sort.map((s) => {
    if (!['date', '_lastUpdated', '_id'].includes(s.def.code)) throw badRequest(`AuditEvent can be sorted by date or _id, not ${s.def.code}`, '_sort');
    return `${s.def.code === '_id' ? 'seq' : 'recorded'} ${s.descending ? 'DESC' : 'ASC'}`;
  });
  const sorted = order.length > 0;
  let keyset = cond;
  const backwards = !sorted && request.cursor?.direction === 'before';
  if (!sorted && request.cursor) {
    if (!/^\d{1,18}$/.test(request.cursor.id)) throw badRequest('Invalid _cursor', '_cursor');
    keyset += ` AND seq ${backwards ? '<' : '>'} ${p.add(request.cursor.id)}::bigint`;
  }
  const offset = sorted || !request.cursor ? request.offset : 0;
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM audit_event WHERE ${keyset} ORDER BY ${[...order, backwards ? 'seq DESC' : 'seq ASC'].join(', ')}
     LIMIT ${p.add(request.count + 1)} OFFSET ${p.add(offset)}`,
    p.values,
  );
  const more = rows.length > request.count;
  const page = rows.slice(0, request.count);
  if (backwards) page.reverse();
  const matches = page.map(eventOf);
  if (sorted || request.offset > 0) return { matches, included: [], total, hasMore: more, paging: { kind: 'offset' } };
  return {
    matches,
    included: [],
    total,
    hasMore: backwards ? true : more,
    paging: { kind: 'cursor', firstId: matches[0]?.id, lastId: matches.at(-1)?.id, hasPrevious: backwards ? more : !!request.cursor, hasNext: backwards ? true : more },
  };
}
