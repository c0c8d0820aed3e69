import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { buildPatient } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

describe('concurrent writes', () => {
  test('several PUTs with the same If-Match: exactly one wins, the others get 412', async () => {
    const created = await request('POST', '/fhir/Patient', buildPatient());
    const id = created.body.id as string;
    const genders = ['male', 'other', 'unknown', 'male', 'other'];
    const results = await Promise.all(genders.map((g) => request('PUT', `/fhir/Patient/${id}`, { ...created.body, gender: g }, { 'if-match': 'W/"1"' })));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 412, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200);
    const current = await request('GET', `/fhir/Patient/${id}`);
    assert.equal(current.body.gender, winner?.body.gender);
    assert.equal(current.headers.etag, 'W/"2"');
  });

  test('unconditional concurrent updates are serialised: no version is lost or duplicated', async () => {
    const created = await request('POST', '/fhir/Patient', buildPatient());
    const id = created.body.id as string;
    const n = 8;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => request('PUT', `/fhir/Patient/${id}`, { ...created.body, birthDate: `2020-01-${String(i + 1).padStart(2, '0')}` })));
    assert.ok(results.every((r) => r.status === 200));
    const etags = results.map((r) => r.headers.etag).sort();
    assert.equal(new Set(etags).size, n, 'each update got its own version');
    const hist = (await request('GET', `/fhir/Patient/${id}/_history?_count=100`)).body as unknown as Bundle;
    assert.equal(hist.total, n + 1);
  });
});
