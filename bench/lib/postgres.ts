import pg from 'pg';

const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The PostgreSQL database a benchmark runs on: `BENCH_DATABASE_URL` when set (kept afterwards), else a new empty
 * database on the machine's server (`BENCH_PG_ADMIN_URL`, default the local postgres) that `drop` removes.
 * @param suite - a short name for the database.
 * @returns its URL and how to drop it.
 */
export async function benchPostgres(suite: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, drop: async () => {} };
  const name = `iis_bench_${suite}_${Date.now()}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return { url: ADMIN_URL.replace(/\/[^/]*$/, `/${name}`), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client(ADMIN_URL);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
