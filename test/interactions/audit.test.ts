import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { buildImmunization, buildPatient } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

async function auditFor(ref: string): Promise<AuditEvent[]> {
  await (await testRegistry()).services.audit?.flush();
  const res = await request('GET', `/fhir/AuditEvent?entity=${ref}&_count=100`);
  return ((res.body as unknown as Bundle).entry ?? []).map((e) => e.resource as AuditEvent);
}

describe('audit trail', () => {
  test('reads, searches and writes of patient data are recorded with who, what, which patient and outcome', async () => {
    const p = await request('POST', '/fhir/Patient', buildPatient());
    const ref = `Patient/${p.body.id}`;
    await request('POST', '/fhir/Immunization', buildImmunization(p.body.id as string));
    await request('GET', `/fhir/${ref}`);
    await request('GET', `/fhir/Immunization?patient=${ref}`);
    await request('GET', `/fhir/${ref}/_history/9`);
    const events = await auditFor(ref);
    const subtypes = events.map((e) => e.subtype?.[0]?.code).sort();
    assert.deepEqual(subtypes, ['create', 'create', 'read', 'search-type', 'vread']);
    const read = events.find((e) => e.subtype?.[0]?.code === 'read') as AuditEvent;
    assert.equal(read.action, 'R');
    assert.equal(read.outcome, '0');
    assert.ok(read.agent?.[0]?.network?.address, 'the caller address is recorded');
    assert.ok(read.entity?.some((x) => x.what?.reference === ref && x.role?.code === '1'));
    assert.equal(events.find((e) => e.subtype?.[0]?.code === 'vread')?.outcome, '4', 'a failed access is recorded too');
    assert.doesNotMatch(JSON.stringify(events), /Ava/, 'no patient names in the audit trail');
  });

  test('entries of a rolled-back transaction are recorded as failed; AuditEvents cannot be changed or deleted', async () => {
    const p = await request('POST', '/fhir/Patient', buildPatient());
    const ref = `Patient/${p.body.id}`;
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { ...p.body, gender: 'male' } as never, request: { method: 'PUT', url: ref } },
        { resource: { resourceType: 'Patient', id: 'audit-bad', birthDate: 'bad' }, request: { method: 'PUT', url: 'Patient/audit-bad' } },
      ],
    };
    assert.equal((await request('POST', '/fhir', bundle)).status, 400);
    const update = (await auditFor(ref)).find((e) => e.subtype?.[0]?.code === 'transaction');
    assert.equal(update?.outcome, '4', 'the transaction touching the patient is recorded as failed');
    const id = update?.id as string;
    assert.equal((await request('PUT', `/fhir/AuditEvent/${id}`, update)).status, 405);
    assert.equal((await request('DELETE', `/fhir/AuditEvent/${id}`)).status, 405);
  });
});
