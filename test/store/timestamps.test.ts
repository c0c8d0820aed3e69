import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTimestamp } from '../../src/store/timestamps.ts';
import { emptyTestDatabase } from '../helpers/fresh-database.ts';

test('timestamptz text becomes the ISO instant Date would give, for every output form', () => {
  const forms = [
    '2026-12-01 05:00:09+00', '2026-12-01 05:00:09.1+00', '2026-12-01 05:00:09.12+00', '2026-12-01 05:00:09.123+00',
    '2026-12-01 05:00:09.1239+00', '2026-12-01 05:00:09.999999+00', '1000-01-01 00:00:00+00', '9999-12-31 23:59:59.999999+00',
    '2026-12-01 05:00:09.5+05:30', '2026-12-01 05:00:09-08', '2000-02-29 12:00:00.000001+00',
  ];
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 48271) % 2147483647) % n);
  for (let i = 0; i < 2000; i++) {
    const d = new Date(Date.UTC(1900 + rand(200), rand(12), 1 + rand(28), rand(24), rand(60), rand(60)));
    const digits = rand(7);
    const frac = digits ? `.${String(rand(10 ** digits)).padStart(digits, '0')}` : '';
    forms.push(`${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}${frac}+00`);
  }
  for (const f of forms) assert.equal(isoTimestamp(f), new Date(f).toISOString(), f);
});

test('timestamps read from the database come back as ISO instants with milliseconds', async () => {
  const { db, drop } = await emptyTestDatabase(1);
  try {
    const values = ['2026-12-01T05:00:09.123456Z', '2026-12-01T05:00:09Z', '1999-08-30T23:59:59.9Z', '2026-06-01T12:00:00.5+02:00'];
    const rows = await db.query<{ t: string }>('SELECT unnest($1::timestamptz[]) AS t', [values]);
    assert.deepEqual(rows.map((r) => r.t), values.map((v) => new Date(v).toISOString()));
  } finally {
    await drop();
  }
});
