import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgliteDb } from '../../src/store/pglite-db.ts';

/** Where this PGlite build's freshly initialised data directory is kept between test processes. */
function templatePath(): string {
  const pkg = join(dirname(dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')))), 'package.json');
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(`${version}\0${pkg}`).digest('hex').slice(0, 16);
  return join(tmpdir(), `iis-test-pglite-${key}.tar`);
}

/**
 * A new, empty in-memory PGlite database for a test process. PGlite's initdb costs seconds per process; the first
 * process dumps the freshly initialised (not yet migrated) data directory to the temporary folder and every later one
 * loads that copy instead. The copy holds no schema of ours, so changed migrations never meet a stale template; they
 * run on it as on any new database. A missing or unreadable copy falls back to initdb and is written again.
 * @returns the opened database.
 */
export async function openTestPglite(): Promise<PgliteDb> {
  const path = templatePath();
  let template: Blob | undefined;
  try {
    template = new Blob([readFileSync(path)]);
  } catch {
    template = undefined;
  }
  if (template) {
    try {
      return await PgliteDb.open(undefined, template);
    } catch {
      // An interrupted or foreign file: start over below.
    }
  }
  const db = await PgliteDb.open();
  const dump = Buffer.from(await (await db.dumpDataDir()).arrayBuffer());
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, dump);
  renameSync(partial, path);
  return db;
}
