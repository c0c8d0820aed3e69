/**
 * Preloaded by `npm test` in every test file's process (the runner itself loads no preloads). On the PostgreSQL run
 * (`DATABASE_URL` set) it gives each test file a database of its own on that server, as the PGlite run gives each
 * file its own in-memory database. So test files can run in parallel (`--test-concurrency`) without one file's
 * forecast worker taking another file's queued patients, or one file's rows turning up in another's counts.
 *
 * A file's database is created before the file's code runs, replaces `DATABASE_URL` for it, and is dropped when the
 * file's process has nothing left to do. A file that exits early (a crash, `process.exit`) leaves its database behind;
 * test files started on this machine later drop it once the run it belonged to has ended. On PGlite this does
 * nothing.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';

const base = process.env.DATABASE_URL;

async function adminQuery(adminUrl: string, sql: string): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** This machine's share of the names (a database server may serve several machines' test runs). */
const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** `iis_tp_<host>_<runner pid>_<file pid>`: the runner's pid tells whether the run is still going. */
const NAME = new RegExp(`^iis_tp_${host}_(\\d+)_\\d+$`);

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Drops the databases earlier runs on this machine left behind. */
async function sweep(adminUrl: string): Promise<void> {
  const rows = await adminQuery(adminUrl, `SELECT datname FROM pg_database WHERE datname LIKE 'iis\\_tp\\_${host}\\_%'`);
  for (const { datname } of rows) {
    const runner = NAME.exec(String(datname))?.[1];
    if (runner && !isRunning(Number(runner))) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${String(datname)} WITH (FORCE)`).catch(() => undefined);
  }
}

// Only in a test file's process: the runner itself does not load preloads.
if (base && process.env.NODE_TEST_CONTEXT) {
  const admin = new URL(base);
  admin.pathname = '/postgres';
  await sweep(admin.href);
  const name = `iis_tp_${host}_${process.ppid}_${process.pid}`;
  await adminQuery(admin.href, `CREATE DATABASE ${name}`);
  const own = new URL(base);
  own.pathname = `/${name}`;
  process.env.DATABASE_URL = own.href;
  let dropped = false;
  process.on('beforeExit', () => {
    // beforeExit fires again after the drop's own work; drop once.
    if (dropped) return;
    dropped = true;
    void adminQuery(admin.href, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  });
}
