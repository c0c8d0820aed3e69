import type { Db } from './db.ts';
import { INDEX_COLUMNS } from './search/index-rows.ts';

/**
 * Brings the planner's statistics of the resource and search tables up to date (ANALYZE,
 * https://www.postgresql.org/docs/current/sql-analyze.html). Autovacuum analyzes a table only after it grows by 10%
 * and at most once a minute, so right after a bulk import or a reindex the planner still sees the tables as they
 * were: on a new registry, nearly empty, and it then picks plans meant for a handful of rows (reading every dose of
 * a sender to check access to five of them). Run at the end of such bulk work.
 * @param db - the database.
 */
export async function refreshStatistics(db: Db): Promise<void> {
  const tables = ['resource', 'audit_event', ...Object.values(INDEX_COLUMNS).map((c) => c.table)];
  await db.exec(`ANALYZE ${tables.join(', ')}`);
}
