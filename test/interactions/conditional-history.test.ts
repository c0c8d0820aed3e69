import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { buildPatient, unique } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

describe('conditional interactions', () => {
  test('conditional create: none -> 201, one -> 200 with the existing resource, several -> 412', async () => {
    const mrn = unique('MRN');
    const patient = buildPatient({ identifier: [{ system: 'urn:test', value: mrn }] });
    const first = await request('POST', '/fhir/Patient', patient, { 'if-none-exist': `identifier=urn:test|${mrn}` });
    assert.equal(first.status, 201);
    const second = await request('POST', '/fhir/Patient', patient, { 'if-none-exist': `identifier=urn:test|${mrn}` });
    assert.equal(second.status, 200);
    assert.equal(second.body.id, first.body.id);
    await request('POST', '/fhir/Patient', patient);
    const third = await request('POST', '/fhir/Patient', patient, { 'if-none-exist': `identifier=urn:test|${mrn}` });
    assert.equal(third.status, 412);
  });

  test('concurrent conditional creates with the same criteria create one resource', async () => {
    const mrn = unique('MRN');
    const patient = buildPatient({ identifier: [{ system: 'urn:test', value: mrn }] });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => request('POST', '/fhir/Patient', patient, { 'if-none-exist': `identifier=urn:test|${mrn}` })),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 201]);
    const search = await request('GET', `/fhir/Patient?identifier=urn:test|${mrn}&_total=accurate`);
    assert.equal(search.body.total, 1);
  });

  test('conditional update: creates when nothing matches, updates the single match, 412 on several', async () => {
    const mrn = unique('MRN');
    const patient = buildPatient({ identifier: [{ system: 'urn:test', value: mrn }] });
    const created = await request('PUT', `/fhir/Patient?identifier=urn:test|${mrn}`, patient);
    assert.equal(created.status, 201);
    const updated = await request('PUT', `/fhir/Patient?identifier=urn:test|${mrn}`, { ...patient, gender: 'male' });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.id, created.body.id);
    assert.equal(updated.headers.etag, 'W/"2"');
    await request('POST', '/fhir/Patient', patient);
    assert.equal((await request('PUT', `/fhir/Patient?identifier=urn:test|${mrn}`, patient)).status, 412);
  });

  test('conditional delete removes the single match', async () => {
    const mrn = unique('MRN');
    const created = await request('POST', '/fhir/Patient', buildPatient({ identifier: [{ system: 'urn:test', value: mrn }] }));
    assert.equal((await request('DELETE', `/fhir/Patient?identifier=urn:test|${mrn}`)).status, 204);
    assert.equal((await request('GET', `/fhir/Patient/${created.body.id}`)).status, 410);
  });
});

describe('history', () => {
  test('instance history lists every version newest first, including the deletion', async () => {
    const created = await request('POST', '/fhir/Patient', buildPatient());
    const id = created.body.id as string;
    await request('PUT', `/fhir/Patient/${id}`, { ...created.body, gender: 'male' });
    await request('DELETE', `/fhir/Patient/${id}`);
    const hist = await request('GET', `/fhir/Patient/${id}/_history`);
    assert.equal(hist.status, 200);
    const bundle = hist.body as unknown as Bundle;
    assert.equal(bundle.type, 'history');
    assert.equal(bundle.total, 3);
    assert.deepEqual(bundle.entry?.map((e) => e.response?.etag), ['W/"3"', 'W/"2"', 'W/"1"']);
    assert.equal(bundle.entry?.[0]?.request?.method, 'DELETE');
    assert.equal(bundle.entry?.[0]?.resource, undefined);
  });

  test('type and system history honour _since and _count with next links', async () => {
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 3; i++) await request('POST', '/fhir/Practitioner', { resourceType: 'Practitioner', name: [{ family: unique('Doc') }] });
    const type = await request('GET', `/fhir/Practitioner/_history?_since=${since}&_count=2`);
    const bundle = type.body as unknown as Bundle;
    assert.equal(bundle.total, 3);
    assert.equal(bundle.entry?.length, 2);
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    assert.ok(next);
    const page2 = await request('GET', next.replace('http://localhost:8080', ''));
    assert.equal((page2.body as unknown as Bundle).entry?.length, 1);
    const system = await request('GET', `/fhir/_history?_since=${since}`);
    assert.ok(((system.body as unknown as Bundle).total ?? 0) >= 3);
    assert.equal((await request('GET', '/fhir/_history?_since=yesterday')).status, 400);
  });
});
