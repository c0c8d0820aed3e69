import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatePopulation } from '../../bench/population/index.ts';
import { loadConfig } from '../../src/config.ts';
import { createCore } from '../../src/core.ts';
import { PgDb } from '../../src/store/pg-db.ts';
import { openTestPglite } from '../helpers/pglite-template.ts';
import { importNdjson } from '../../src/registry/import-ndjson.ts';
import { freshPostgresDatabase } from '../helpers/fresh-database.ts';

test('an NDJSON import leaves the planner statistics describing what it loaded', async () => {
  const fresh = await freshPostgresDatabase();
  const db = fresh ? new PgDb(fresh.url, 4) : await openTestPglite();
  const core = await createCore(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false' }), { db });
  try {
    const lines = [...generatePopulation({ seed: 11, patients: 60 })].map((r) => JSON.stringify(r));
    const report = await importNdjson(core, lines);
    assert.equal(report.failed.length, 0);
    for (const table of ['resource', 'sp_token', 'sp_string', 'sp_date', 'sp_reference']) {
      const [row] = await db.query<{ estimate: number; actual: number }>(
        `SELECT (SELECT reltuples FROM pg_class WHERE relname = $1) AS estimate, (SELECT count(*) FROM ${table}) AS actual`,
        [table],
      );
      assert.ok(row && row.actual > 0, `${table} holds the import`);
      // Before, the migrations' ANALYZE of the empty tables stood until autovacuum came round: an estimate of 0 rows.
      assert.ok(row.estimate >= row.actual * 0.9, `${table}: the planner estimates ${row.estimate} rows of ${row.actual}`);
    }
  } finally {
    await core.close();
    await fresh?.drop();
  }
});
