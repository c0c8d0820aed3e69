import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { OperationOutcome, Bundle, BundleEntry } from '@medplum/fhirtypes';
import { buildImmunization, buildPatient, unique } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

const entries = (b: unknown): BundleEntry[] => ((b as Bundle).entry ?? []) as BundleEntry[];

/** A transaction that creates a patient with this MRN (system urn:test) and then runs the given entry. */
const patientThen = (mrn: string, second: BundleEntry): Bundle => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [{ resource: buildPatient({ identifier: [{ system: 'urn:test', value: mrn }] }), request: { method: 'POST', url: 'Patient' } }, second],
});

describe('transaction bundles', () => {
  test('urn:uuid references are resolved and the response lists status, location and etag per entry', async () => {
    const mrn = unique('MRN');
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        // The Immunization comes first: references resolve regardless of entry order.
        { fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: buildImmunization('x', { patient: { reference: 'urn:uuid:22222222-2222-4222-8222-222222222222' } }), request: { method: 'POST', url: 'Immunization' } },
        { fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222', resource: buildPatient({ identifier: [{ system: 'urn:test', value: mrn }] }), request: { method: 'POST', url: 'Patient' } },
      ],
    };
    const res = await request('POST', '/fhir', bundle);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.type, 'transaction-response');
    const [imm, pat] = entries(res.body);
    assert.equal(imm?.response?.status, '201');
    assert.match(imm?.response?.location ?? '', /^Immunization\/[^/]+\/_history\/1$/);
    assert.equal(pat?.response?.etag, 'W/"1"');
    const patientId = pat?.response?.location?.split('/')[1];
    const stored = await request('GET', `/fhir/${imm?.response?.location?.split('/_history')[0]}`);
    assert.equal((stored.body.patient as { reference: string }).reference, `Patient/${patientId}`);
  });

  test('a failing entry rolls back the whole transaction', async () => {
    const mrn = unique('MRN');
    const bundle = patientThen(mrn, { resource: { resourceType: 'Patient', birthDate: 'not-a-date' }, request: { method: 'POST', url: 'Patient' } });
    const res = await request('POST', '/fhir', bundle);
    assert.equal(res.status, 400);
    assert.equal(res.body.resourceType, 'OperationOutcome');
    assert.match(JSON.stringify(res.body), /Bundle\.entry\[1\]/);
    const search = await request('GET', `/fhir/Patient?identifier=urn:test|${mrn}`);
    assert.equal(search.body.entry, undefined, 'the first entry was not kept');
  });

  test('entries run in the order DELETE, POST, PUT, GET and conditional references resolve', async () => {
    const mrn = unique('MRN');
    const toDelete = await request('POST', '/fhir/Patient', buildPatient());
    const toUpdate = await request('POST', '/fhir/Patient', buildPatient());
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'GET', url: `Patient?identifier=urn:test|${mrn}` } },
        { resource: buildImmunization('x', { patient: { reference: `Patient?identifier=urn:test|${mrn}` } }), request: { method: 'POST', url: 'Immunization' } },
        { resource: { ...toUpdate.body, gender: 'male' } as never, request: { method: 'PUT', url: `Patient/${toUpdate.body.id}` } },
        { resource: buildPatient({ identifier: [{ system: 'urn:test', value: mrn }] }), request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'DELETE', url: `Patient/${toDelete.body.id}` } },
      ],
    };
    const res = await request('POST', '/fhir', bundle);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const out = entries(res.body);
    const search = out[0]?.resource as Bundle;
    assert.equal(search.entry?.length, 1, 'GET ran after the POST of the same bundle');
    assert.equal(out[1]?.response?.status, '201');
    assert.equal(out[2]?.response?.status, '200');
    assert.equal(out[4]?.response?.status, '204');
    assert.equal((await request('GET', `/fhir/Patient/${toDelete.body.id}`)).status, 410);
  });

  test('a urn:uuid reference to no entry of the bundle is a 400 naming where it is, and nothing is written', async () => {
    const mrn = unique('MRN');
    const bundle = patientThen(mrn, { resource: buildImmunization('x', { patient: { reference: 'urn:uuid:9b1c7d0e-0000-4000-8000-00000000dead' } }), request: { method: 'POST', url: 'Immunization' } });
    const res = await request('POST', '/fhir', bundle);
    assert.equal(res.status, 400);
    const issues = (res.body as unknown as OperationOutcome).issue ?? [];
    const issue = issues.find((i) => /does not match the fullUrl of any entry/.test(i.details?.text ?? ''));
    assert.ok(issue, JSON.stringify(issues));
    assert.deepEqual(issue.expression, ['Immunization.patient.reference']);
    assert.equal(((await request('GET', `/fhir/Patient?identifier=urn:test|${mrn}`)).body as unknown as Bundle).entry?.length ?? 0, 0);
  });

  test('conditional create inside a transaction reuses the existing resource', async () => {
    const mrn = unique('MRN');
    const existing = await request('POST', '/fhir/Patient', buildPatient({ identifier: [{ system: 'urn:test', value: mrn }] }));
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:33333333-3333-4333-8333-333333333333', resource: buildPatient(), request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:test|${mrn}` } },
        { resource: buildImmunization('x', { patient: { reference: 'urn:uuid:33333333-3333-4333-8333-333333333333' } }), request: { method: 'POST', url: 'Immunization' } },
      ],
    };
    const res = await request('POST', '/fhir', bundle);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const out = entries(res.body);
    assert.equal(out[0]?.response?.status, '200');
    const imm = await request('GET', `/fhir/${out[1]?.response?.location?.split('/_history')[0]}`);
    assert.equal((imm.body.patient as { reference: string }).reference, `Patient/${existing.body.id}`);
  });
});

describe('batch bundles', () => {
  test('entries succeed or fail independently, each failure with an OperationOutcome', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: buildPatient(), request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient', gender: 5 } as never, request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'GET', url: 'Patient/does-not-exist' } },
        { request: { method: 'GET', url: 'Condition?code=x' } },
      ],
    };
    const res = await request('POST', '/fhir', bundle);
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'batch-response');
    const out = entries(res.body);
    assert.equal(out[0]?.response?.status, '201');
    assert.equal(out[1]?.response?.status, '400');
    assert.equal(out[1]?.response?.outcome?.resourceType, 'OperationOutcome');
    assert.equal(out[2]?.response?.status, '404');
    assert.equal(out[3]?.response?.status, '404');
  });

  test('a Bundle of another type is rejected', async () => {
    const res = await request('POST', '/fhir', { resourceType: 'Bundle', type: 'collection' });
    assert.equal(res.status, 400);
  });
});
