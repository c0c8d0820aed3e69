import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Patient, Resource } from '@medplum/fhirtypes';
import { buildServices } from '../../src/interactions/services.ts';
import { bulkCreateResources } from '../../src/store/bulk-load.ts';
import { restoreLoadIndexes, suspendLoadIndexes } from '../../src/store/bulk-indexes.ts';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { Repository } from '../../src/store/repository.ts';
import { generatePopulation } from '../../bench/population/index.ts';
import { emptyTestDatabase } from '../helpers/fresh-database.ts';

const services = buildServices({ fhirBaseUrl: 'http://localhost:8080/fhir' });

async function openDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const opened = await emptyTestDatabase(4);
  await migrate(opened.db);
  return opened;
}

/** Every stored row, with the write instant left out (it differs between two writes of the same resource). */
async function dump(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const resources = await db.query<{ r: string }>(
    `SELECT concat_ws('|', resource_type, id, version_id, deleted, method, (content #- '{meta,lastUpdated}')::text) AS r FROM resource ORDER BY 1`,
  );
  out.resource = resources.map((x) => x.r);
  for (const table of ['sp_string', 'sp_token', 'sp_date', 'sp_reference', 'sp_number', 'sp_quantity', 'sp_uri']) {
    const rows = await db.query<{ r: string }>(`SELECT t::text AS r FROM ${table} t WHERE code <> '_lastUpdated' ORDER BY 1`);
    out[table] = rows.map((x) => x.r);
  }
  return out;
}

test('issue 3: the bulk load path stores exactly the rows of the normal create path', async () => {
  const resources: Resource[] = [...generatePopulation({ seed: 7, patients: 40 })];
  // Characters COPY text format must escape, and a value in the meta that the stamp must keep.
  const odd: Patient = {
    resourceType: 'Patient', id: 'bulk-odd', meta: { tag: [{ system: 'urn:t', code: 'x' }] },
    name: [{ family: 'Back\\slash\tTab', given: ['Line\nBreak', 'Ça\rva'] }], birthDate: '2001-02-03',
    identifier: [{ system: 'urn:x', value: 'a\\N' }],
  };
  resources.push(odd);
  const normal = await openDb();
  const bulk = await openDb();
  try {
    const repo = new Repository(normal.db, { searchParameters: services.searchParameters, baseUrl: services.fhirBaseUrl });
    await repo.transaction(async (tx) => {
      for (const r of resources) await tx.createResource(r, r.id);
    });
    const indexes = await suspendLoadIndexes(bulk.db);
    assert.ok(indexes.length >= 15, 'the search-index lookup and owner indexes are suspended');
    await bulkCreateResources(bulk.db, services.searchParameters, resources.slice(0, 100), { asynchronousCommit: true });
    await bulkCreateResources(bulk.db, services.searchParameters, resources.slice(100));
    await restoreLoadIndexes(bulk.db, indexes);
    const [a, b] = [await dump(normal.db), await dump(bulk.db)];
    assert.ok((a.sp_token?.length ?? 0) > 100);
    assert.deepEqual(b, a);
    const after = await bulk.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_indexes WHERE tablename LIKE 'sp\\_%' OR tablename IN ('resource', 'resource_history')`,
    );
    const before = await normal.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_indexes WHERE tablename LIKE 'sp\\_%' OR tablename IN ('resource', 'resource_history')`,
    );
    assert.equal(after[0]?.n, before[0]?.n, 'every index is back');
  } finally {
    await normal.drop();
    await bulk.drop();
  }
});
