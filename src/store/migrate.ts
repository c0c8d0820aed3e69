import type { Db } from './db.ts';
import { MIGRATIONS } from './migrations/index.ts';

/** Advisory-lock key serialising migrations when several processes start at once. */
const MIGRATION_LOCK = 72_110_001;

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction, under an advisory
 * lock so concurrent starters (several app nodes, parallel test processes) cannot race. Migrations run without the
 * pool's statement timeout: building or rebuilding a search index on a state-sized database takes minutes.
 * @param db - the database.
 * @returns the versions applied by this call.
 */
export async function migrate(db: Db): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL statement_timeout = 0');
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
