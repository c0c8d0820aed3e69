import pg from 'pg';
import type { Db } from '../../src/store/db.ts';
import { PgDb } from '../../src/store/pg-db.ts';
import { openTestPglite } from './pglite-template.ts';

/**
 * On the PostgreSQL run (DATABASE_URL set), a new empty database on the same server for a test that needs one (for
 * example, seeding the demo data set, which only loads into an empty registry); on PGlite, undefined (each test
 * registry is a new in-memory database anyway).
 * @returns the URL and a function that drops the database, or undefined.
 */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const base = process.env.DATABASE_URL;
  if (!base) return undefined;
  const name = `iis_t_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const adminUrl = new URL(base);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client(adminUrl.href);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const c = new pg.Client(adminUrl.href);
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * An empty database of the run's kind, for a test that needs one to itself (counts rows, or compares everything
 * stored): a new database on the PostgreSQL run, a new in-memory PGlite one otherwise. Not migrated.
 * @param poolSize - connections of the PostgreSQL pool.
 * @returns the database and a function that closes and drops it.
 */
export async function emptyTestDatabase(poolSize = 2): Promise<{ db: Db; drop: () => Promise<void> }> {
  const fresh = await freshPostgresDatabase();
  const db = fresh ? new PgDb(fresh.url, poolSize) : await openTestPglite();
  return {
    db,
    drop: async () => {
      await db.close();
      await fresh?.drop();
    },
  };
}
