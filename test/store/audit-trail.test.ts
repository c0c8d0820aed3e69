import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEvent } from '@medplum/fhirtypes';
import { loadConfig } from '../../src/config.ts';
import { createCore } from '../../src/core.ts';
import { parseSearchRequest } from '../../src/fhir/search/parse-search-request.ts';
import { buildServices } from '../../src/interactions/services.ts';
import { auditEventOf, auditRecordOf } from '../../src/registry/audit-event.ts';
import { importNdjson } from '../../src/registry/import-ndjson.ts';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { PgDb } from '../../src/store/pg-db.ts';
import { openTestPglite } from '../helpers/pglite-template.ts';
import { Repository } from '../../src/store/repository.ts';
import { freshPostgresDatabase } from '../helpers/fresh-database.ts';

/** Runs `fn` on a new empty database; `fn` closes it (directly or through the core that owns it). */
async function withDatabase(fn: (db: Db) => Promise<void>): Promise<void> {
  const fresh = await freshPostgresDatabase();
  const db = fresh ? new PgDb(fresh.url, 4) : await openTestPglite();
  try {
    await fn(db);
  } finally {
    await fresh?.drop();
  }
}

/** An AuditEvent from another system, with elements the audit trail has no column for. */
const foreign: AuditEvent = {
  resourceType: 'AuditEvent',
  id: 'elsewhere-1',
  type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110', display: 'Patient Record' },
  subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }],
  action: 'R',
  recorded: '2019-05-06T07:08:09.123Z',
  outcome: '0',
  agent: [{ requestor: true, who: { reference: 'Practitioner/old-1', display: 'Dr Old' }, altId: 'legacy-ehr', network: { address: '172.16.0.9', type: '2' } }],
  source: { site: 'Old registry', observer: { display: 'Legacy IIS' } },
  entity: [{ what: { reference: 'Immunization/old-imm' } }, { what: { reference: 'Patient/old-pat' } }],
};

test('AuditEvents stored as resources by an earlier version move to the audit trail with their JSON', async () => {
  await withDatabase(async (db) => {
    // The schema as it was before the audit trail (migrations 1 to 7), with an event stored the old way.
    await db.exec('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    for (const m of MIGRATIONS.filter((x) => x.version < 8)) {
      await db.exec(m.sql);
      await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    const services = buildServices({ fhirBaseUrl: 'http://localhost:8080/fhir' });
    const old = new Repository(db, { searchParameters: services.searchParameters, baseUrl: services.fhirBaseUrl });
    await old.createResource(foreign, 'old-id');
    assert.ok(((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM sp_reference WHERE resource_type = 'AuditEvent'"))[0]?.n ?? 0) > 0);

    assert.deepEqual(await migrate(db), [8]);
    const left = await db.query<{ n: number }>(
      "SELECT (SELECT count(*) FROM resource WHERE resource_type = 'AuditEvent') + (SELECT count(*) FROM sp_reference WHERE resource_type = 'AuditEvent') + (SELECT count(*) FROM sp_token WHERE resource_type = 'AuditEvent') AS n",
    );
    assert.equal(Number(left[0]?.n), 0, 'nothing of the event is left in the resource tables');
    const repo = new Repository(db, { searchParameters: services.searchParameters, baseUrl: services.fhirBaseUrl });
    const found = await repo.search(parseSearchRequest(services.searchParameters, ['AuditEvent'], [['patient', 'Patient/old-pat'], ['altid', 'legacy-ehr'], ['date', '2019-05-06']]));
    assert.equal(found.matches.length, 1);
    const moved = found.matches[0] as AuditEvent;
    assert.equal(moved.source?.site, 'Old registry', 'the JSON is kept whole');
    assert.deepEqual(moved.entity, foreign.entity);
    assert.equal(moved.meta?.versionId, '1');
    await db.close();
  });
});

test('an NDJSON import appends AuditEvents from elsewhere to the audit trail, searchable and whole; invalid ones are reported', async () => {
  await withDatabase(async (db) => {
    const core = await createCore(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false' }), { db });
    try {
      const invalid = { ...foreign, id: 'bad', action: 'X' };
      const report = await importNdjson(core, [JSON.stringify(foreign), JSON.stringify(invalid)]);
      assert.equal(report.loaded, 1);
      assert.deepEqual(report.failed.map((f) => f.line), ['AuditEvent/bad']);
      const search = (params: [string, string][]) => core.repo.search(parseSearchRequest(core.services.searchParameters, ['AuditEvent'], params));
      const [event] = (await search([['entity', 'Immunization/old-imm'], ['agent', 'Practitioner/old-1']])).matches as AuditEvent[];
      assert.equal(event?.type?.code, '110110');
      assert.equal(event?.source?.site, 'Old registry');
      assert.notEqual(event?.id, 'elsewhere-1', 'the trail gives the event its own id');
      assert.deepEqual(await core.repo.readResource('AuditEvent', event?.id as string), event);
      assert.equal((await search([['type', '110110'], ['address', '172.16']])).matches.length, 1);
    } finally {
      await core.close();
    }
  });
});

test('the registry’s own events are rebuilt from their record exactly as they were built', async () => {
  await withDatabase(async (db) => {
    const core = await createCore(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false' }), { db });
    try {
      const record = auditRecordOf({
        interaction: 'search-type',
        method: 'GET',
        query: 'Immunization?patient=Patient/p1',
        status: 200,
        actor: { name: 'u', reference: 'Practitioner/pr1', clientId: 'c1', role: 'clinic-staff', address: '10.0.0.1' },
        resources: [{ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Immunization', id: 'i1', patient: { reference: 'Patient/p1' } } as never }, { resource: { resourceType: 'Immunization', id: 'i2', patient: { reference: 'Patient/p2' } } as never }] }],
        recorded: '2026-11-30T12:00:00.456Z',
      });
      assert.deepEqual(record.entities, ['Patient/p1', 'Patient/p2', 'Immunization/i1', 'Immunization/i2']);
      core.services.audit?.record(record);
      await core.services.audit?.flush();
      const [stored] = (await core.repo.search(parseSearchRequest(core.services.searchParameters, ['AuditEvent'], [['entity', 'Immunization/i2']]))).matches;
      assert.deepEqual(stored, auditEventOf(record, stored?.id));
    } finally {
      await core.close();
    }
  });
});
