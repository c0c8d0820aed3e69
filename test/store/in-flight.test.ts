import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createCore } from '../../src/core.ts';
import { InFlight } from '../../src/store/in-flight.ts';
import { auditRecordOf } from '../../src/registry/audit-event.ts';
import { parseSearchRequest } from '../../src/fhir/search/parse-search-request.ts';
import { freshPostgresDatabase } from '../helpers/fresh-database.ts';

describe('shutdown waits for units of work in flight', () => {
  it('InFlight.settled resolves when the last unit ends, or at the timeout', async () => {
    const f = new InFlight();
    let release!: () => void;
    const unit = f.run(() => new Promise<void>((r) => (release = r)));
    let settled = false;
    const waiting = f.settled(5_000).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(settled, false);
    release();
    await unit;
    await waiting;
    assert.equal(settled, true);
    const stuck = new InFlight();
    void stuck.run(() => new Promise(() => undefined));
    const t = Date.now();
    const alive = setInterval(() => undefined, 1_000); // settled's own timer does not hold the process open
    await stuck.settled(50);
    clearInterval(alive);
    assert.ok(Date.now() - t < 2_000);
  });

  it('closing the core lets a running unit of work finish and its audit record be written before the database closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iis-inflight-'));
    const pg = await freshPostgresDatabase();
    const env = { DATA_DIR: dir, LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false', ...(pg ? { DATABASE_URL: pg.url } : {}) };
    try {
      const core = await createCore(loadConfig(env));
      let wrote!: () => void;
      const written = new Promise<void>((r) => (wrote = r));
      const unit = core.repo.transaction(async (tx) => {
        const p = await tx.createResource({ resourceType: 'Patient', name: [{ family: 'Latecomer' }], gender: 'other', birthDate: '2020-02-02' });
        wrote();
        await new Promise((r) => setTimeout(r, 300)); // still working when shutdown starts
        return (p as { id?: string }).id as string;
      }).then((id) => {
        // As withAudit does once an interaction returns.
        core.services.audit?.record(auditRecordOf({ interaction: 'create', method: 'POST', query: 'Patient', status: 201, actor: { name: 'late-client' }, resources: [{ resourceType: 'Patient', id }], recorded: new Date().toISOString() }));
        return id;
      });
      await written;
      await core.close();
      const id = await unit;
      const again = await createCore(loadConfig(env));
      try {
        assert.equal((await again.repo.readResource('Patient', id)).id, id);
        const audits = await again.repo.search(parseSearchRequest(again.services.searchParameters, ['AuditEvent'], [['entity', `Patient/${id}`]]));
        assert.equal(audits.matches.length, 1, 'the late request is attributable');
      } finally {
        await again.close();
      }
    } finally {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
