import type { Db } from './db.ts';
import { SqlParams } from './sql.ts';
import type { Resource } from '@medplum/fhirtypes';
import type { SearchParameterRegistry } from '../fhir/search/search-parameters.ts';
import { INDEX_COLUMNS, type IndexRows } from './search/index-rows.ts';
import { extractIndexRows } from './search/indexer.ts';
import { queueForecastsSql } from './forecast-queue.ts';

/** One version to write. */
export interface PendingVersion {
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  deleted: boolean;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON text of the resource, or null for a deletion. */
  content: string | null;
  /** Index rows of this version (empty for a deletion). */
  index: IndexRows;
  /** True when the resource may already have index rows that must be removed first. */
  replaces: boolean;
}

/**
 * The version to write for a stamped resource (id, `meta.versionId` and `meta.lastUpdated` set): its JSON and its
 * index rows from the SearchParameter expressions. The one way the store turns a resource into rows.
 * @param stored - the stamped resource.
 * @param registry - the search parameters to index with.
 * @param method - the interaction that wrote it.
 * @param replaces - whether earlier index rows of the resource may exist.
 * @returns the pending version.
 */
export function pendingVersion(stored: Resource, registry: SearchParameterRegistry, method: PendingVersion['method'], replaces: boolean): PendingVersion {
  return {
    resourceType: stored.resourceType,
    id: stored.id as string,
    versionId: Number(stored.meta?.versionId),
    lastUpdated: stored.meta?.lastUpdated as string,
    deleted: false,
    method,
    content: JSON.stringify(stored),
    index: extractIndexRows(stored, registry),
    replaces,
  };
}

/**
 * Collects the writes of a unit of work and stores them set-based: a few multi-row statements per flush however
 * many resources were written, which is what makes a 100-entry transaction fast. The store flushes before any
 * read inside the same transaction, so reads always see earlier writes.
 */
export class WriteBuffer {
  private pending: PendingVersion[] = [];
  /** Patients to queue for forecast recomputation with the next flush. */
  private forecasts = new Set<string>();

  /** @param version - a version to write at the next flush. */
  add(version: PendingVersion): void {
    this.pending.push(version);
  }

  /**
   * Queues patients for forecast recomputation (the forecast queue of `forecast-queue.ts`) in the same statement as
   * the unit's next writes, instead of in one more round trip of their own.
   * @param patientIds - the patients.
   */
  queueForecasts(patientIds: Iterable<string>): void {
    for (const id of patientIds) this.forecasts.add(id);
  }

  /** @returns true when nothing waits to be written. */
  get empty(): boolean {
    return this.pending.length === 0 && this.forecasts.size === 0;
  }

  /**
   * Writes everything pending, in one statement: each part is a data-modifying CTE, and all of them read the
   * snapshot taken when the statement starts (https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING),
   * so history copies the versions being replaced and the old index rows are deleted while the new ones go in.
   * One statement instead of up to five saves a round trip to the server for each, which on a busy registry costs
   * more than the statements themselves.
   * @param db - the transaction to write in.
   */
  async flush(db: Db): Promise<void> {
    if (this.empty) return;
    const versions = this.pending;
    this.pending = [];
    const forecasts = [...this.forecasts];
    this.forecasts = new Set();
    // The current-version table gets the last version of each resource. History gets the versions they replace:
    // the stored current version of a resource written before (copied inside the database), and any
    // intermediate versions written in this same unit of work.
    const latest = new Map<string, PendingVersion>();
    for (const v of versions) latest.set(`${v.resourceType}/${v.id}`, v);
    const current = [...latest.values()];
    const intermediate = versions.filter((v) => latest.get(`${v.resourceType}/${v.id}`) !== v);
    const replaced = current.filter((v) => v.replaces);
    const w = new CteStatement();
    if (replaced.length) {
      const [types, ids] = keyColumns(replaced);
      w.add(`h_replaced AS (INSERT INTO resource_history (resource_type, id, version_id, last_updated, deleted, method, content)
         SELECT r.resource_type, r.id, r.version_id, r.last_updated, r.deleted, r.method, r.content
         FROM resource r JOIN unnest(${w.params.add(types)}::text[], ${w.params.add(ids)}::text[]) AS k(t, i) ON r.resource_type = k.t AND r.id = k.i)`);
    }
    if (intermediate.length) {
      w.add(`h_intermediate AS (INSERT INTO resource_history (resource_type, id, version_id, last_updated, deleted, method, content)
         SELECT ${VERSION_COLUMNS} FROM jsonb_array_elements(${w.params.add(versionsJson(intermediate))}::jsonb) AS x(e))`);
    }
    const fresh = current.filter((v) => !v.replaces && !intermediate.some((i) => i.resourceType === v.resourceType && i.id === v.id));
    const upserts = current.filter((v) => !fresh.includes(v));
    const insert = (param: string): string => `INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, method, content)
       SELECT ${VERSION_COLUMNS} FROM jsonb_array_elements(${param}::jsonb) AS x(e)`;
    if (fresh.length) w.add(`r_fresh AS (${insert(w.params.add(versionsJson(fresh)))})`);
    if (upserts.length) {
      w.add(`r_upsert AS (${insert(w.params.add(versionsJson(upserts)))} ON CONFLICT (resource_type, id) DO UPDATE SET version_id = EXCLUDED.version_id,
           last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted, method = EXCLUDED.method, content = EXCLUDED.content)`);
    }
    addIndexDeletes(w, replaced);
    addIndexInserts(w, current);
    if (forecasts.length) w.add(`q_forecast AS (${queueForecastsSql(w.params.add(forecasts))})`);
    await w.run(db);
  }
}

/** One statement made of data-modifying CTEs, with its parameters numbered by {@link SqlParams}. */
class CteStatement {
  readonly params = new SqlParams();
  private readonly ctes: string[] = [];

  add(cte: string): void {
    this.ctes.push(cte);
  }

  async run(db: Db): Promise<void> {
    if (this.ctes.length) await db.query(`WITH ${this.ctes.join(', ')} SELECT 1`, this.params.values);
  }
}

/**
 * Rows travel to the database as one JSON array per statement, unpacked there with jsonb_array_elements: one native
 * JSON.stringify (and the stored content spliced in as already-serialised text) instead of escaping every value
 * into PostgreSQL array literals, which dominated the client's CPU on bulk writes.
 */
const VERSION_COLUMNS = `e->>0, e->>1, (e->>2)::int, (e->>3)::timestamptz, (e->>4)::bool, e->>5, (e->6)::jsonb`;

function versionsJson(versions: PendingVersion[]): string {
  const parts = versions.map(
    (v) => `[${JSON.stringify(v.resourceType)},${JSON.stringify(v.id)},${v.versionId},${JSON.stringify(v.lastUpdated)},${v.deleted},${JSON.stringify(v.method)},${v.content ?? 'null'}]`,
  );
  return `[${parts.join(',')}]`;
}

/** The types and the ids of resources, as the two arrays `unnest` takes. */
function keyColumns(resources: { resourceType: string; id: string }[]): [string[], string[]] {
  return [resources.map((r) => r.resourceType), resources.map((r) => r.id)];
}

function addIndexDeletes(w: CteStatement, resources: { resourceType: string; id: string }[]): void {
  if (!resources.length) return;
  const [types, ids] = keyColumns(resources);
  w.add(`dk AS (SELECT * FROM unnest(${w.params.add(types)}::text[], ${w.params.add(ids)}::text[]) AS k(t, i))`);
  Object.values(INDEX_COLUMNS).forEach((c, n) => w.add(`d${n} AS (DELETE FROM ${c.table} x USING dk WHERE x.resource_type = dk.t AND x.resource_id = dk.i)`));
}

function addIndexInserts(w: CteStatement, versions: Pick<PendingVersion, 'resourceType' | 'id' | 'index'>[]): void {
  for (const [key, spec] of Object.entries(INDEX_COLUMNS) as [keyof IndexRows, (typeof INDEX_COLUMNS)[keyof IndexRows]][]) {
    const rows: string[] = [];
    for (const v of versions) {
      const owner = `${JSON.stringify(v.resourceType)},${JSON.stringify(v.id)}`;
      for (const row of v.index[key]) rows.push(`[${owner},${JSON.stringify(row).slice(1)}`);
    }
    if (!rows.length) continue;
    const types = ['text', 'text', ...spec.types];
    const cols = types.map((t, i) => (t === 'text' ? `e->>${i}` : `(e->>${i})::${t}`));
    w.add(`i_${key} AS (INSERT INTO ${spec.table} (resource_type, resource_id, ${spec.columns.join(', ')})
        SELECT ${cols.join(', ')} FROM jsonb_array_elements(${w.params.add(`[${rows.join(',')}]`)}::jsonb) AS x(e))`);
  }
}

/**
 * Replaces the index rows of several resources, in one statement: the old rows of each are deleted and the given
 * rows inserted (reindexing after a SearchParameter change).
 * @param db - the database or transaction.
 * @param versions - each resource with its new rows.
 */
export async function replaceIndexRows(db: Db, versions: Pick<PendingVersion, 'resourceType' | 'id' | 'index'>[]): Promise<void> {
  const w = new CteStatement();
  addIndexDeletes(w, versions);
  addIndexInserts(w, versions);
  await w.run(db);
}
