import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { buildImmunization, buildPatient } from '../helpers/builders.ts';
import { BASE, request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

describe('create, read, vread, update, delete', () => {
  test('create assigns an id and version 1, with Location, ETag and Last-Modified', async () => {
    const res = await request('POST', '/fhir/Patient', { ...buildPatient(), id: 'client-chosen' });
    assert.equal(res.status, 201);
    const id = res.body.id as string;
    assert.ok(id && id !== 'client-chosen', 'server assigns the id');
    assert.equal(res.headers.etag, 'W/"1"');
    assert.ok(res.headers['last-modified']);
    assert.equal(res.headers.location, `${BASE}/Patient/${id}/_history/1`);
    assert.match(String(res.headers['content-type']), /application\/fhir\+json/);
    const read = await request('GET', `/fhir/Patient/${id}`);
    assert.equal(read.status, 200);
    assert.equal(read.headers.etag, 'W/"1"');
    assert.equal((read.body.meta as { versionId: string }).versionId, '1');
  });

  test('update creates version 2; vread returns each version; If-None-Match gives 304', async () => {
    const created = await request('POST', '/fhir/Patient', buildPatient());
    const id = created.body.id as string;
    const updated = await request('PUT', `/fhir/Patient/${id}`, { ...created.body, gender: 'male' });
    assert.equal(updated.status, 200);
    assert.equal(updated.headers.etag, 'W/"2"');
    const v1 = await request('GET', `/fhir/Patient/${id}/_history/1`);
    const v2 = await request('GET', `/fhir/Patient/${id}/_history/2`);
    assert.equal(v1.body.gender, 'female');
    assert.equal(v2.body.gender, 'male');
    assert.equal((await request('GET', `/fhir/Patient/${id}/_history/3`)).status, 404);
    const cached = await request('GET', `/fhir/Patient/${id}`, undefined, { 'if-none-match': 'W/"2"' });
    assert.equal(cached.status, 304);
  });

  test('PUT to a new id creates the resource (update as create)', async () => {
    const id = `upsert-${Date.now()}`;
    const res = await request('PUT', `/fhir/Patient/${id}`, { ...buildPatient(), id });
    assert.equal(res.status, 201);
    assert.equal(res.body.id, id);
  });

  test('delete is soft: read gives 410, history keeps every version', async () => {
    const created = await request('POST', '/fhir/Patient', buildPatient());
    const id = created.body.id as string;
    assert.equal((await request('DELETE', `/fhir/Patient/${id}`)).status, 204);
    const read = await request('GET', `/fhir/Patient/${id}`);
    assert.equal(read.status, 410);
    assert.equal(read.body.resourceType, 'OperationOutcome');
    assert.equal((await request('GET', `/fhir/Patient/${id}/_history/1`)).status, 200);
    assert.equal((await request('GET', `/fhir/Patient/${id}/_history/2`)).status, 410);
    assert.equal((await request('DELETE', `/fhir/Patient/${id}`)).status, 204, 'deleting again is harmless');
    const recreated = await request('PUT', `/fhir/Patient/${id}`, { ...created.body });
    assert.equal(recreated.status, 201);
    assert.equal(recreated.headers.etag, 'W/"3"');
  });

  test('If-Match: a stale version gets 412 and the current one succeeds', async () => {
    const created = await request('POST', '/fhir/Patient', buildPatient());
    const id = created.body.id as string;
    const stale = await request('PUT', `/fhir/Patient/${id}`, created.body, { 'if-match': 'W/"7"' });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.resourceType, 'OperationOutcome');
    const ok = await request('PUT', `/fhir/Patient/${id}`, created.body, { 'if-match': 'W/"1"' });
    assert.equal(ok.status, 200);
  });

  test('Prefer: return=minimal, representation and OperationOutcome', async () => {
    const minimal = await request('POST', '/fhir/Patient', buildPatient(), { prefer: 'return=minimal' });
    assert.equal(minimal.status, 201);
    assert.equal(minimal.raw.body, '');
    assert.ok(minimal.headers.location);
    const oo = await request('POST', '/fhir/Patient', buildPatient(), { prefer: 'return=OperationOutcome' });
    assert.equal(oo.body.resourceType, 'OperationOutcome');
    const rep = await request('POST', '/fhir/Patient', buildPatient(), { prefer: 'return=representation' });
    assert.equal(rep.body.resourceType, 'Patient');
  });

  test('_summary, _elements and _pretty on read', async () => {
    const p = await request('POST', '/fhir/Patient', buildPatient({ text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' } }));
    const imm = await request('POST', '/fhir/Immunization', buildImmunization(p.body.id as string, { note: [{ text: 'left thigh' }] }));
    const id = imm.body.id as string;
    const summary = await request('GET', `/fhir/Immunization/${id}?_summary=true`);
    assert.ok(summary.body.vaccineCode);
    assert.equal(summary.body.lotNumber, undefined, 'lotNumber is not a summary element');
    assert.ok(JSON.stringify(summary.body.meta).includes('SUBSETTED'));
    const elements = await request('GET', `/fhir/Immunization/${id}?_elements=lotNumber`);
    assert.ok(elements.body.lotNumber);
    assert.ok(elements.body.status, 'mandatory elements are kept');
    assert.equal(elements.body.note, undefined);
    const text = await request('GET', `/fhir/Patient/${p.body.id}?_summary=text`);
    assert.ok(text.body.text);
    assert.equal(text.body.birthDate, undefined);
    const data = await request('GET', `/fhir/Patient/${p.body.id}?_summary=data`);
    assert.equal(data.body.text, undefined);
    assert.ok(data.body.birthDate);
    const pretty = await request('GET', `/fhir/Patient/${p.body.id}?_pretty=true`);
    assert.match(pretty.raw.body, /\n {2}"resourceType"/);
  });

  test('JSON Patch updates a resource; a failed test operation is 422', async () => {
    const created = await request('POST', '/fhir/Patient', buildPatient());
    const id = created.body.id as string;
    const patched = await request('PATCH', `/fhir/Patient/${id}`, JSON.stringify([{ op: 'replace', path: '/gender', value: 'other' }]), {
      'content-type': 'application/json-patch+json',
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.gender, 'other');
    assert.equal(patched.headers.etag, 'W/"2"');
    const failed = await request('PATCH', `/fhir/Patient/${id}`, JSON.stringify([{ op: 'test', path: '/gender', value: 'male' }]), {
      'content-type': 'application/json-patch+json',
    });
    assert.equal(failed.status, 422);
    const bad = await request('PATCH', `/fhir/Patient/${id}`, JSON.stringify([{ op: 'replace', path: '/gender', value: 'robot' }]), {
      'content-type': 'application/json-patch+json',
    });
    assert.ok(bad.status === 400 || bad.status === 422, `invalid patched result is rejected (got ${bad.status})`);
    assert.equal((await request('GET', `/fhir/Patient/${id}`)).body.gender, 'other');
  });

  test('every registry type is served; other types answer 404 with an OperationOutcome', async () => {
    for (const type of ['Patient', 'Immunization', 'ImmunizationRecommendation', 'ImmunizationEvaluation', 'Organization', 'Location', 'Practitioner', 'PractitionerRole', 'RelatedPerson', 'Group', 'Consent', 'AuditEvent', 'Provenance']) {
      const res = await request('GET', `/fhir/${type}?_count=1`);
      assert.equal(res.status, 200, type);
      assert.equal(res.body.type, 'searchset');
    }
    for (const type of ['Condition', 'Claim']) {
      const res = await request('GET', `/fhir/${type}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.resourceType, 'OperationOutcome');
      assert.equal((await request('POST', `/fhir/${type}`, { resourceType: type })).status, 404);
    }
  });
});
