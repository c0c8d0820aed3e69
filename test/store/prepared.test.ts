import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PgDb } from '../../src/store/pg-db.ts';
import { openTestPglite } from '../helpers/pglite-template.ts';
import { freshPostgresDatabase } from '../helpers/fresh-database.ts';

test('a statement named with prepareAs is prepared once per connection and answers like an unnamed one', async () => {
  const fresh = await freshPostgresDatabase();
  // One connection, so the session that prepared the statement is the one asked about it.
  const db = fresh ? new PgDb(fresh.url, 1) : await openTestPglite();
  try {
    await db.exec('CREATE TABLE t (k text PRIMARY KEY, v text)');
    await db.query("INSERT INTO t VALUES ('a', 'x'), ('b', 'y')");
    const sql = 'SELECT v FROM t WHERE k = $1';
    for (const [k, v] of [['a', 'x'], ['b', 'y'], ['a', 'x']] as const) {
      assert.deepEqual(await db.query(sql, [k], { prepareAs: 'read-t' }), [{ v }]);
      assert.deepEqual(await db.query(sql, [k]), [{ v }]);
    }
    if (fresh) {
      const prepared = await db.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements');
      assert.deepEqual(prepared, [{ name: 'read-t', statement: sql }], 'prepared once, under its name, on the one connection');
    }
  } finally {
    await db.close();
    await fresh?.drop();
  }
});
