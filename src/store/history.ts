import type { Resource } from '@medplum/fhirtypes';
import type { Db, SqlValue } from './db.ts';

/** Which history to read and how much (https://hl7.org/fhir/R4/http.html#history). */
export interface HistoryQuery {
  /** Types to include (one for type/instance history, the served types for system history). */
  resourceTypes: string[];
  /** Instance history: the id. */
  id?: string;
  /** Only versions changed after this instant. */
  since?: string;
  /** Only versions changed at or before this instant (`_at`-like cut-off for stable paging). */
  before?: string;
  count: number;
  offset: number;
}

/** One version in a history page. */
export interface HistoryEntry {
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  deleted: boolean;
  method: string;
  resource?: Resource;
}

/** A page of history and the total number of versions matching. */
export interface HistoryPage {
  entries: HistoryEntry[];
  total: number;
}

/**
 * Reads a page of versions, newest first.
 * @param db - the database.
 * @param q - the query.
 * @returns the page.
 */
export async function readHistory(db: Db, q: HistoryQuery): Promise<HistoryPage> {
  const params: SqlValue[] = [q.resourceTypes];
  const where = ['resource_type = ANY($1::text[])'];
  if (q.id !== undefined) {
    params.push(q.id);
    where.push(`id = $${params.length}`);
  }
  if (q.since) {
    params.push(q.since);
    where.push(`last_updated > $${params.length}::timestamptz`);
  }
  if (q.before) {
    params.push(q.before);
    where.push(`last_updated <= $${params.length}::timestamptz`);
  }
  const cond = where.join(' AND ');
  // Every version: the current ones in `resource` and the replaced ones in `resource_history`.
  const versions = `(SELECT resource_type, id, version_id, last_updated, deleted, method, content FROM resource WHERE ${cond}
    UNION ALL SELECT resource_type, id, version_id, last_updated, deleted, method, content FROM resource_history WHERE ${cond}) v`;
  const totalRows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${versions}`, params);
  params.push(q.count, q.offset);
  const rows = await db.query<{
    resource_type: string;
    id: string;
    version_id: number;
    last_updated: string;
    deleted: boolean;
    method: string;
    content: string | null;
  }>(
    `SELECT resource_type, id, version_id, last_updated, deleted, method, content::text AS content FROM ${versions}
     ORDER BY last_updated DESC, id, version_id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return {
    total: totalRows[0]?.n ?? 0,
    entries: rows.map((r) => ({
      resourceType: r.resource_type,
      id: r.id,
      versionId: r.version_id,
      lastUpdated: r.last_updated,
      deleted: r.deleted,
      method: r.method,
      ...(r.content ? { resource: JSON.parse(r.content) as Resource } : {}),
    })),
  };
}
