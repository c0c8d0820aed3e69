import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { buildImmunization, buildPatient } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

const issues = (body: unknown): string[] => ((body as OperationOutcome).issue ?? []).flatMap((i) => i.expression ?? []);

describe('IIS profiles (profiles/StructureDefinition-iis-*.json) on every write: 422', () => {
  test('IIS Patient needs name, gender and birthDate', async () => {
    const res = await request('POST', '/fhir/Patient', { resourceType: 'Patient', identifier: [{ value: 'x' }] });
    assert.equal(res.status, 422);
    assert.deepEqual(issues(res.body).sort(), ['Patient.birthDate', 'Patient.gender', 'Patient.name']);
  });

  test('IIS Immunization: CVX from the registry CodeSystem, date not in the future, lot and MVX when administered', async () => {
    const p = await request('POST', '/fhir/Patient', buildPatient());
    const id = p.body.id as string;
    const notCvx = await request('POST', '/fhir/Immunization', buildImmunization(id, { vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/ndc', code: '49281-0400-10' }] } }));
    assert.equal(notCvx.status, 422);
    assert.deepEqual(issues(notCvx.body), ['Immunization.vaccineCode']);
    const unknownCvx = await request('POST', '/fhir/Immunization', buildImmunization(id, { vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '9999' }] } }));
    assert.equal(unknownCvx.status, 422);
    const future = await request('POST', '/fhir/Immunization', buildImmunization(id, { occurrenceDateTime: '2999-01-01' }));
    assert.equal(future.status, 422);
    assert.deepEqual(issues(future.body), ['Immunization.occurrence[x]']);
    const noLot = await request('POST', '/fhir/Immunization', buildImmunization(id, { lotNumber: undefined }));
    assert.equal(noLot.status, 422);
    const badMvx = await request('POST', '/fhir/Immunization', buildImmunization(id, { manufacturer: { identifier: { system: 'http://terminology.hl7.org/CodeSystem/MVX', value: 'ZZZ' } } }));
    assert.equal(badMvx.status, 422);
    const historical = await request('POST', '/fhir/Immunization', buildImmunization(id, { primarySource: false, lotNumber: undefined, manufacturer: undefined }));
    assert.equal(historical.status, 201, 'historical records need no lot');
    const ok = await request('POST', '/fhir/Immunization', buildImmunization(id));
    assert.equal(ok.status, 201);
  });

  test('R4 violations come first (400), with profile issues listed too', async () => {
    const res = await request('POST', '/fhir/Patient', { resourceType: 'Patient', gender: 'x' });
    assert.equal(res.status, 400);
    assert.ok(issues(res.body).includes('Patient.gender'));
    assert.ok(issues(res.body).includes('Patient.birthDate'));
  });

  test('the CVX and MVX CodeSystems are shipped in profiles/', async () => {
    const { readFileSync } = await import('node:fs');
    const cvx = JSON.parse(readFileSync('profiles/CodeSystem-cvx.json', 'utf8')) as { url: string; concept: { code: string }[] };
    assert.equal(cvx.url, 'http://hl7.org/fhir/sid/cvx');
    assert.equal(cvx.concept.length, 288);
    const mvx = JSON.parse(readFileSync('profiles/CodeSystem-mvx.json', 'utf8')) as { concept: { code: string }[] };
    assert.ok(mvx.concept.some((c) => c.code === 'PMC'));
  });
});
