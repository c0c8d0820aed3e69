import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Patient } from '@medplum/fhirtypes';
import { buildServices } from '../../src/interactions/services.ts';
import type { Db, QueryOptions, SqlValue } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { Repository } from '../../src/store/repository.ts';
import { emptyTestDatabase } from '../helpers/fresh-database.ts';

/** A Db that records the statements sent inside its transactions. */
function counting(db: Db, sent: string[]): Db {
  const wrap = (inner: Db): Db => ({
    driver: inner.driver,
    inTransaction: inner.inTransaction,
    query: <T>(sql: string, params?: readonly SqlValue[], options?: QueryOptions) => {
      if (inner.inTransaction) sent.push(sql);
      return inner.query<T>(sql, params, options);
    },
    exec: (sql: string) => inner.exec(sql),
    transaction: <T>(fn: (tx: Db) => Promise<T>) => inner.transaction((tx) => fn(wrap(tx))),
    settled: (ms: number) => inner.settled(ms),
    close: () => inner.close(),
  });
  return wrap(db);
}

async function withRepository(fn: (repo: Repository, db: Db, sent: string[]) => Promise<void>): Promise<void> {
  const { db, drop } = await emptyTestDatabase();
  try {
    await migrate(db);
    const services = buildServices({ fhirBaseUrl: 'http://localhost/fhir' });
    const sent: string[] = [];
    await fn(new Repository(counting(db, sent), { searchParameters: services.searchParameters, baseUrl: services.fhirBaseUrl }), db, sent);
  } finally {
    await drop();
  }
}

const queued = async (db: Db): Promise<string[]> => (await db.query<{ patient_id: string }>('SELECT patient_id FROM forecast_queue ORDER BY patient_id')).map((r) => r.patient_id);

test('a unit of work reads back what it wrote without a round trip, and queues forecasts in the statement that writes', async () => {
  await withRepository(async (repo, db, sent) => {
    const before = await repo.createResource<Patient>({ resourceType: 'Patient', birthDate: '2020-01-01' });
    const gone = await repo.createResource<Patient>({ resourceType: 'Patient', birthDate: '2020-02-02' });
    sent.length = 0;
    const created = await repo.transaction(async (tx) => {
      const p = await tx.createResource<Patient>({ resourceType: 'Patient', birthDate: '2021-03-04', gender: 'female' });
      await tx.queueForecasts([p.id as string, before.id as string]);
      const read = await tx.readMany([{ type: 'Patient', id: p.id as string }]);
      assert.deepEqual(read, [p], 'the version written in the unit, as it will be stored');
      assert.equal(sent.length, 0, 'nothing sent yet: the write, the queue and the read wait for the flush');
      return p;
    });
    assert.equal(sent.length, 1, `one statement wrote the patient and the queue rows: ${sent.join(' | ')}`);
    assert.deepEqual(await queued(db), [before.id, created.id].sort());
    assert.equal((await repo.readResource<Patient>('Patient', created.id as string)).birthDate, '2021-03-04');

    // Deleted in the unit: absent; not written in the unit: read from the database after the unit's writes.
    await repo.transaction(async (tx) => {
      await tx.deleteResource('Patient', gone.id as string);
      const read = await tx.readMany([{ type: 'Patient', id: gone.id as string }, { type: 'Patient', id: before.id as string }, { type: 'Patient', id: 'never-stored' }]);
      assert.deepEqual(read.map((r) => r.id), [before.id]);
    });
  });
});

test('queued forecasts roll back with the unit of work that queued them', async () => {
  await withRepository(async (repo, db) => {
    await assert.rejects(
      repo.transaction(async (tx) => {
        const p = await tx.createResource<Patient>({ resourceType: 'Patient', birthDate: '2021-03-04' });
        await tx.queueForecasts([p.id as string]);
        await tx.readMany([{ type: 'Patient', id: 'not-written-here' }]); // flushes the write and the queue row
        throw new Error('the unit fails after its flush');
      }),
      /the unit fails/,
    );
    assert.deepEqual(await queued(db), []);
    assert.deepEqual((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM resource WHERE resource_type = 'Patient'"))[0]?.n, 0);
  });
});
