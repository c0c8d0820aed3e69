import type { Config } from '../config.ts';
import type { Db } from './db.ts';
import { PgDb } from './pg-db.ts';
import { PgliteDb } from './pglite-db.ts';

/**
 * Opens the configured database: PostgreSQL through `pg` when `DATABASE_URL` is set, otherwise the embedded PGlite
 * database in `DATA_DIR`.
 * @param config - the configuration.
 * @returns the database.
 */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  if (config.databaseUrl) return new PgDb(config.databaseUrl);
  return PgliteDb.open(config.dataDir);
}
