import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { buildImmunization, buildPatient } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

function assertOutcome(res: { body: Record<string, unknown>; raw: { body: string } }): void {
  assert.equal(res.body.resourceType, 'OperationOutcome');
  assert.doesNotMatch(res.raw.body, /at .+\.ts:\d+|node:internal|Error:/, 'no stack trace in responses');
}

describe('errors are OperationOutcomes with the right status', () => {
  test('malformed JSON is 400', async () => {
    const res = await request('POST', '/fhir/Patient', '{"resourceType": "Patient",', { 'content-type': 'application/fhir+json' });
    assert.equal(res.status, 400);
    assertOutcome(res);
  });

  test('resourceType and id mismatches are 400', async () => {
    const wrongType = await request('POST', '/fhir/Patient', { resourceType: 'Practitioner' });
    assert.equal(wrongType.status, 400);
    assertOutcome(wrongType);
    const wrongId = await request('PUT', '/fhir/Patient/abc', { ...buildPatient(), id: 'xyz' });
    assert.equal(wrongId.status, 400);
    assertOutcome(wrongId);
  });

  test('unknown type is 404, body over the limit is 413, XML is 406/415', async () => {
    assert.equal((await request('GET', '/fhir/Claim/1')).status, 404);
    const big = await request('POST', '/fhir/Patient', { ...buildPatient(), text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${'x'.repeat(17 * 1024 * 1024)}</div>` } });
    assert.equal(big.status, 413);
    assertOutcome(big);
    const xml = await request('GET', '/fhir/Patient?_format=xml');
    assert.equal(xml.status, 406);
    assertOutcome(xml);
    const accept = await request('GET', '/fhir/metadata', undefined, { accept: 'application/fhir+xml' });
    assert.equal(accept.status, 406);
    const xmlBody = await request('POST', '/fhir/Patient', '<Patient xmlns="http://hl7.org/fhir"/>', { 'content-type': 'application/fhir+xml' });
    assert.equal(xmlBody.status, 415);
    assertOutcome(xmlBody);
    const text = await request('POST', '/fhir/Patient', 'hello', { 'content-type': 'text/plain' });
    assert.equal(text.status, 415);
  });

  test('invalid resources get 400 listing every issue with its FHIRPath expression', async () => {
    const res = await request('POST', '/fhir/Patient', { resourceType: 'Patient', birthDate: '2020-13-45', name: [{ family: 7 }], bogus: true });
    assert.equal(res.status, 400);
    assertOutcome(res);
    const expressions = (res.body.issue as { expression?: string[] }[]).flatMap((i) => i.expression ?? []);
    assert.ok(expressions.includes('Patient.birthDate'), JSON.stringify(expressions));
    assert.ok(expressions.includes('Patient.name[0].family'), JSON.stringify(expressions));
    assert.ok(expressions.includes('Patient.bogus'), JSON.stringify(expressions));
  });

  test('an immunization before the patient was born, or for an unknown patient, is 422', async () => {
    const patient = await request('POST', '/fhir/Patient', buildPatient({ birthDate: '2021-05-01' }));
    const early = await request('POST', '/fhir/Immunization', buildImmunization(patient.body.id as string, { occurrenceDateTime: '2021-04-30' }));
    assert.equal(early.status, 422);
    assert.deepEqual((early.body.issue as { expression: string[] }[])[0]?.expression, ['Immunization.occurrence']);
    const orphan = await request('POST', '/fhir/Immunization', buildImmunization('no-such-patient'));
    assert.equal(orphan.status, 422);
  });

  test('malformed search values are 400 naming the parameter; unknown ones are ignored unless strict', async () => {
    const bad = await request('GET', '/fhir/Patient?birthdate=yesterday');
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body.issue as { expression: string[] }[])[0]?.expression, ['birthdate']);
    const lenient = await request('GET', '/fhir/Patient?foo=bar&gender=female&_count=1');
    assert.equal(lenient.status, 200);
    const self = (lenient.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'self')?.url ?? '';
    assert.match(self, /gender=female/);
    assert.doesNotMatch(self, /foo=bar/);
    const strict = await request('GET', '/fhir/Patient?foo=bar', undefined, { prefer: 'handling=strict' });
    assert.equal(strict.status, 400);
  });
});

describe('$validate and metadata', () => {
  test('$validate reports issues without storing; valid input gives an informational outcome', async () => {
    const bad = await request('POST', '/fhir/Patient/$validate', { resourceType: 'Patient', birthDate: 'x' });
    assert.equal(bad.status, 200);
    assert.ok((bad.body.issue as { severity: string }[]).some((i) => i.severity === 'error'));
    const good = await request('POST', '/fhir/Patient/$validate', { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: buildPatient() }] });
    assert.equal(good.status, 200);
    assert.deepEqual((good.body.issue as { severity: string }[]).map((i) => i.severity), ['information']);
    const created = await request('POST', '/fhir/Patient', buildPatient());
    const instance = await request('POST', `/fhir/Patient/${created.body.id}/$validate`, { ...created.body, gender: 'male' });
    assert.equal(instance.status, 200);
    assert.equal((await request('GET', `/fhir/Patient/${created.body.id}`)).body.gender, 'female', 'nothing stored');
  });

  test('the CapabilityStatement lists the served types, their search parameters and operations', async () => {
    const res = await request('GET', '/fhir/metadata');
    assert.equal(res.status, 200);
    const cs = res.body as unknown as CapabilityStatement;
    assert.equal(cs.fhirVersion, '4.0.1');
    const types = cs.rest?.[0]?.resource?.map((r) => r.type) ?? [];
    assert.equal(types.length, 14);
    assert.ok(types.includes('Observation' as never));
    assert.ok(!types.includes('Condition' as never));
    const imm = cs.rest?.[0]?.resource?.find((r) => r.type === 'Immunization');
    const params = imm?.searchParam?.map((p) => p.name) ?? [];
    for (const p of ['patient', 'date', 'vaccine-code', 'lot-number', 'manufacturer', 'target-disease']) assert.ok(params.includes(p), p);
    assert.ok(imm?.operation?.some((o) => o.name === 'validate'));
  });
});
