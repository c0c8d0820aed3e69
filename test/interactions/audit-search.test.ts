import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { AuditEvent, Bundle, Resource } from '@medplum/fhirtypes';
import { auditRecordOf, type Actor } from '../../src/registry/audit-event.ts';
import { buildPatient } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

/** A patient of this test run and the events recorded about it. */
let patient: string;
const tag = randomUUID().slice(0, 8);
const nurse: Actor = { name: 'nurse', reference: `Practitioner/nurse-${tag}`, clientId: `school-app-${tag}`, role: 'school-nurse', address: `10.9.${tag.length}.7` };
const staff: Actor = { name: 'staff', clientId: `ehr-${tag}`, role: 'clinic-staff', address: '192.168.4.20' };

async function record(interaction: string, recorded: string, actor: Actor, status: number, resources: Resource[]): Promise<void> {
  const registry = await testRegistry();
  registry.services.audit?.record(auditRecordOf({ interaction, method: 'GET', query: `${interaction}-${tag}`, status, actor, resources, recorded }));
}

async function ids(query: string): Promise<string[]> {
  const res = await request('GET', `/fhir/AuditEvent?${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  // Each event recorded here is named by its query entity (base64); the patient's own creation is left out.
  return ((res.body as unknown as Bundle).entry ?? [])
    .map((e) => Buffer.from((e.resource as AuditEvent).entity?.find((x) => x.query)?.query ?? '', 'base64').toString())
    .filter((q) => q.endsWith(tag));
}

before(async () => {
  patient = (await request('POST', '/fhir/Patient', buildPatient())).body.id as string;
  const p = { resourceType: 'Patient', id: patient } as Resource;
  const imm = { resourceType: 'Immunization', id: `imm-${tag}`, patient: { reference: `Patient/${patient}` } } as Resource;
  await record('read', '2020-01-01T10:00:00.000Z', nurse, 200, [p]);
  await record('search-type', '2020-01-02T10:00:00.000Z', staff, 200, [imm]);
  await record('update', '2020-01-03T10:00:00.000Z', staff, 412, [p]);
  await (await testRegistry()).services.audit?.flush();
});

describe('the audit trail searched as AuditEvent', () => {
  test('by patient, entity, agent and client, each finding the events that name them', async () => {
    assert.deepEqual(await ids(`patient=${patient}`), [`read-${tag}`, `search-type-${tag}`, `update-${tag}`]);
    assert.deepEqual(await ids(`patient=Patient/${patient}&subtype=read`), [`read-${tag}`]);
    assert.deepEqual(await ids(`entity=Immunization/imm-${tag}`), [`search-type-${tag}`]);
    assert.deepEqual(await ids(`agent=Practitioner/nurse-${tag}`), [`read-${tag}`]);
    assert.deepEqual(await ids(`altid=ehr-${tag}`), [`search-type-${tag}`, `update-${tag}`]);
    assert.equal((await request('GET', `/fhir/AuditEvent?entity=imm-${tag}`)).status, 400, 'an untyped entity reference is refused, not guessed');
  });

  test('by recorded date with prefixes, and by _lastUpdated', async () => {
    const mine = `patient=${patient}`;
    assert.deepEqual(await ids(`${mine}&date=2020-01-02`), [`search-type-${tag}`]);
    assert.deepEqual(await ids(`${mine}&date=ge2020-01-02`), [`search-type-${tag}`, `update-${tag}`]);
    assert.deepEqual(await ids(`${mine}&date=gt2020-01-02`), [`update-${tag}`]);
    assert.deepEqual(await ids(`${mine}&date=lt2020-01-02`), [`read-${tag}`]);
    assert.deepEqual(await ids(`${mine}&date=le2020-01-02T10:00`), [`read-${tag}`, `search-type-${tag}`]);
    assert.deepEqual(await ids(`${mine}&date=ne2020-01-02`), [`read-${tag}`, `update-${tag}`]);
    assert.deepEqual(await ids(`${mine}&date=ge2020-01-02&date=lt2020-01-03`), [`search-type-${tag}`]);
    assert.deepEqual(await ids(`${mine}&_lastUpdated=2020-01-01,2020-01-03`), [`read-${tag}`, `update-${tag}`]);
    assert.equal((await request('GET', `/fhir/AuditEvent?date=yesterday`)).status, 400);
  });

  test('by coded elements with and without their system, by address, and with :not', async () => {
    const mine = `patient=${patient}`;
    assert.deepEqual(await ids(`${mine}&action=U`), [`update-${tag}`]);
    assert.deepEqual(await ids(`${mine}&outcome=4`), [`update-${tag}`], 'a 412 is a minor failure');
    assert.deepEqual(await ids(`${mine}&outcome:not=4`), [`read-${tag}`, `search-type-${tag}`]);
    assert.deepEqual(await ids(`${mine}&subtype=http://hl7.org/fhir/restful-interaction|search-type`), [`search-type-${tag}`]);
    assert.deepEqual(await ids(`${mine}&subtype=http://example.org/other|search-type`), []);
    assert.deepEqual(await ids(`${mine}&type=http://terminology.hl7.org/CodeSystem/audit-event-type|rest`), [`read-${tag}`, `search-type-${tag}`, `update-${tag}`]);
    assert.deepEqual(await ids(`${mine}&address=192.168`), [`search-type-${tag}`, `update-${tag}`]);
    assert.deepEqual(await ids(`${mine}&address:exact=192.168`), []);
    assert.deepEqual(await ids(`${mine}&address:contains=.9.`), [`read-${tag}`]);
  });

  test('pages in recording order by cursor, sorts by date, counts, and reads each event as version 1', async () => {
    const first = await request('GET', `/fhir/AuditEvent?patient=${patient}&_count=2&_total=accurate`);
    const page1 = first.body as unknown as Bundle;
    assert.equal(page1.total, 4, 'the three events and the creation of the patient');
    assert.equal(page1.entry?.length, 2);
    const next = page1.link?.find((l) => l.relation === 'next')?.url as string;
    const page2 = (await request('GET', next.replace('http://localhost:8080', ''))).body as unknown as Bundle;
    assert.equal(page2.entry?.length, 2);
    assert.equal(page2.link?.some((l) => l.relation === 'next'), false);
    const seen = [...(page1.entry ?? []), ...(page2.entry ?? [])].map((e) => e.resource?.id);
    assert.equal(new Set(seen).size, 4);
    assert.deepEqual(await ids(`patient=${patient}&_sort=-date`), [`update-${tag}`, `search-type-${tag}`, `read-${tag}`]);

    const one = page1.entry?.[0]?.resource as AuditEvent;
    const read = await request('GET', `/fhir/AuditEvent/${one.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, one);
    assert.equal(read.body.meta && (read.body.meta as { versionId?: string }).versionId, '1');
    assert.equal((await request('GET', `/fhir/AuditEvent/${one.id}/_history/1`)).status, 200);
    assert.equal((await request('GET', `/fhir/AuditEvent/${one.id}/_history/2`)).status, 404);
    assert.equal((await request('GET', '/fhir/AuditEvent/not-a-number')).status, 404);
    assert.equal((await request('GET', `/fhir/Patient/${patient}/AuditEvent`)).status, 200);
    assert.equal(((await request('GET', `/fhir/Patient/${patient}/AuditEvent`)).body as unknown as Bundle).entry?.length, 4, 'the Patient compartment holds its events');
  });

  test('what the audit trail cannot answer is refused, never silently ignored', async () => {
    assert.equal((await request('GET', `/fhir/AuditEvent?patient=${patient}&_include=AuditEvent:patient`)).status, 400);
    assert.equal((await request('GET', `/fhir/AuditEvent?patient:missing=true`)).status, 400);
    assert.equal((await request('GET', `/fhir/AuditEvent?_sort=address`)).status, 400);
    assert.equal((await request('GET', `/fhir/Patient?_id=${patient}&_revinclude=AuditEvent:patient`)).status, 400);
    assert.equal((await request('GET', '/fhir?_type=AuditEvent,Patient')).status, 400);
    assert.equal((await request('POST', '/fhir/AuditEvent', { resourceType: 'AuditEvent' })).status, 405);
    assert.equal((await request('GET', '/fhir/AuditEvent/_history')).status, 405);
  });

  test('the events the registry records itself are full AuditEvents that pass R4 validation', async () => {
    const res = await request('GET', `/fhir/AuditEvent?patient=${patient}&subtype=update`);
    const event = (res.body as unknown as Bundle).entry?.[0]?.resource as AuditEvent;
    assert.equal(event.outcomeDesc, 'HTTP 412');
    assert.equal(event.agent?.[0]?.altId, `ehr-${tag}`);
    assert.equal(event.agent?.[0]?.network?.address, '192.168.4.20');
    const validated = await request('POST', '/fhir/AuditEvent/$validate', event);
    assert.equal(validated.status, 200, JSON.stringify(validated.body));
  });
});
