import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { newResourceId } from '../../src/fhir/resource-id.ts';
import { buildImmunization, buildPatient } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

/** RFC 9562 §5.7: version nibble 7, variant bits 10. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('server-assigned ids', () => {
  test('are version 7 UUIDs that sort in the order they were made, and never repeat', () => {
    const ids = Array.from({ length: 5000 }, () => newResourceId());
    for (const id of ids) assert.match(id, UUID_V7);
    assert.deepEqual([...ids].sort(), ids, 'later ids sort after earlier ones, even within one millisecond');
    assert.equal(new Set(ids).size, ids.length);
  });

  test('create, transaction entries and create-on-conditional-update all get time-ordered ids', async () => {
    const first = await request('POST', '/fhir/Patient', buildPatient());
    const tx = await request('POST', '/fhir', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:3f0e1c1a-0000-4000-8000-000000000001', resource: buildPatient(), request: { method: 'POST', url: 'Patient' } },
        { resource: buildImmunization('x', { patient: { reference: 'urn:uuid:3f0e1c1a-0000-4000-8000-000000000001' } }), request: { method: 'POST', url: 'Immunization' } },
      ],
    } as Bundle);
    assert.equal(tx.status, 200, JSON.stringify(tx.body));
    const locations = ((tx.body as unknown as Bundle).entry ?? []).map((e) => e.response?.location?.split('/')[1] as string);
    const marker = `rid-${Date.now()}`;
    const upserted = await request('PUT', `/fhir/Patient?identifier=https://example.org/mrn|${marker}`, buildPatient({ identifier: [{ system: 'https://example.org/mrn', value: marker }] }));
    assert.equal(upserted.status, 201);
    const ids = [first.body.id as string, ...locations, upserted.body.id as string];
    for (const id of ids) assert.match(id, UUID_V7);
    assert.deepEqual([...ids].sort(), ids);
  });
});
