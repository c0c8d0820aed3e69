import type { Db } from './db.ts';

/** Tables whose secondary indexes an initial load may rebuild: current resources, history and the search index. */
const LOAD_TABLES = ['resource', 'resource_history', 'sp_string', 'sp_token', 'sp_date', 'sp_reference', 'sp_number', 'sp_quantity', 'sp_uri'];

/**
 * Drops the secondary indexes (not primary keys or unique constraints) of the resource and search-index tables
 * before a large initial load, and returns their definitions so {@link restoreLoadIndexes} can build them again:
 * one sort per index after the load costs far less than keeping every B-tree current row by row
 * (https://www.postgresql.org/docs/current/populate.html#POPULATE-RM-INDEXES). Searches are wrong until the
 * indexes are back only in speed, never in results; still, use it on a database nobody else is using.
 * @param db - the database.
 * @returns the `CREATE INDEX` statements of the dropped indexes, as the catalog has them.
 */
export async function suspendLoadIndexes(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relname = ANY($1::text[]) AND t.relnamespace = current_schema()::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`,
    [LOAD_TABLES],
  );
  for (const r of rows) await db.exec(`DROP INDEX ${r.name}`);
  return rows.map((r) => r.def);
}

/**
 * Builds indexes from their definitions, a few at a time on separate connections, with a generous
 * `maintenance_work_mem` so each sort stays in memory.
 * @param db - the database (a pool: each index is built on its own connection).
 * @param definitions - `CREATE INDEX` statements from {@link suspendLoadIndexes}.
 * @param options - how many to build at once; memory per build.
 */
export async function restoreLoadIndexes(db: Db, definitions: string[], options: { parallel?: number; memory?: string } = {}): Promise<void> {
  const queue = [...definitions];
  const memory = /^\d+(kB|MB|GB)$/.test(options.memory ?? '') ? options.memory : '512MB';
  const worker = async (): Promise<void> => {
    for (let def = queue.shift(); def; def = queue.shift()) {
      const statement = def;
      await db.transaction(async (tx) => {
        await tx.exec(`SET LOCAL maintenance_work_mem = '${memory}'`);
        // A sort of tens of millions of rows outlasts the pool's statement timeout, which is meant for requests.
        await tx.exec('SET LOCAL statement_timeout = 0');
        await tx.exec(statement);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 2) }, worker));
}
