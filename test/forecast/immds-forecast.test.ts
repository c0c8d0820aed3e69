import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ImmunizationEvaluation, ImmunizationRecommendation, Parameters } from '@medplum/fhirtypes';
import { buildImmunization, buildPatient } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

const cvx = (code: string) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code }] });
const group = (rec: ImmunizationRecommendation | undefined, name: string) =>
  rec?.recommendation.find((r) => r.vaccineCode?.[0]?.coding?.some((c) => c.code === name && c.system?.includes('vaccine-group')));
const date = (r: ReturnType<typeof group>, loinc: string) => r?.dateCriterion?.find((d) => d.code.coding?.[0]?.code === loinc)?.value;

/** The patient's stored recommendation, once the background worker has caught up. */
async function storedRecommendation(patientId: string): Promise<ImmunizationRecommendation | undefined> {
  await (await testRegistry()).core.forecastWorker?.drain();
  return ((await request('GET', `/fhir/ImmunizationRecommendation?patient=${patientId}`)).body as { entry?: { resource: ImmunizationRecommendation }[] }).entry?.[0]?.resource;
}

describe('$immds-forecast', () => {
  test('system level: an unstored patient and history give evaluations and a recommendation per vaccine group', async () => {
    const body: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'assessmentDate', valueDate: '2024-06-01' },
        { name: 'patient', resource: { resourceType: 'Patient', id: 'p1', birthDate: '2024-01-15', gender: 'female' } },
        { name: 'immunization', resource: { resourceType: 'Immunization', id: 'hepb1', status: 'completed', vaccineCode: cvx('08'), patient: { reference: 'Patient/p1' }, occurrenceDateTime: '2024-01-16' } },
        { name: 'immunization', resource: { resourceType: 'Immunization', id: 'dtap-early', status: 'completed', vaccineCode: cvx('20'), patient: { reference: 'Patient/p1' }, occurrenceDateTime: '2024-02-20' } },
      ],
    };
    const res = await request('POST', '/fhir/$immds-forecast', body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const out = res.body as unknown as Parameters;
    const evals = out.parameter?.filter((p) => p.name === 'evaluation').map((p) => p.resource as ImmunizationEvaluation) ?? [];
    const rec = out.parameter?.find((p) => p.name === 'recommendation')?.resource as ImmunizationRecommendation;
    const hepb = evals.find((e) => e.immunizationEvent.reference === 'Immunization/hepb1');
    assert.equal(hepb?.doseStatus.coding?.[0]?.code, 'valid');
    const dtap = evals.find((e) => e.immunizationEvent.reference === 'Immunization/dtap-early' && e.targetDisease?.text === 'Diphtheria');
    assert.equal(dtap?.doseStatus.coding?.[0]?.code, 'notvalid');
    assert.equal(dtap?.doseStatusReason?.[0]?.coding?.[0]?.code, 'tooyoung');
    assert.match(dtap?.doseStatusReason?.[0]?.text ?? '', /before the minimum age/, 'a clinician-readable explanation');
    const hepbRec = group(rec, 'HepB');
    assert.equal(hepbRec?.forecastStatus.coding?.[0]?.code, 'notComplete');
    assert.equal(hepbRec?.doseNumberPositiveInt, 2);
    assert.equal(hepbRec?.vaccineCode?.[0]?.coding?.[0]?.code, '45', 'the group CVX');
    assert.equal(date(hepbRec, '30981-5'), '2024-02-13', 'earliest: 4 weeks after dose 1');
    assert.ok(group(rec, 'DTaP/Tdap/Td'));
    assert.ok(group(rec, 'MMR'));
  });

  test('bad input is a 400', async () => {
    assert.equal((await request('POST', '/fhir/$immds-forecast', { resourceType: 'Parameters', parameter: [{ name: 'assessmentDate', valueDate: '2024-06-01' }] })).status, 400);
    assert.equal((await request('POST', '/fhir/$immds-forecast', { resourceType: 'Patient' })).status, 400);
  });

  test('instance level forecasts the stored record; stored recommendations follow immunization changes', async () => {
    const p = await request('POST', '/fhir/Patient', buildPatient({ birthDate: '2023-03-01' }));
    const id = p.body.id as string;
    const stored = (): Promise<ImmunizationRecommendation | undefined> => storedRecommendation(id);
    const before = await stored();
    assert.ok(before, 'a recommendation is stored when the patient is created');
    assert.equal(group(before, 'HepB')?.doseNumberPositiveInt, 1);
    const imm = await request('POST', '/fhir/Immunization', buildImmunization(id, { vaccineCode: cvx('08'), occurrenceDateTime: '2023-03-02' }));
    assert.equal(group(await stored(), 'HepB')?.doseNumberPositiveInt, 2, 'recomputed after the new dose');
    await request('DELETE', `/fhir/Immunization/${imm.body.id}`);
    assert.equal(group(await stored(), 'HepB')?.doseNumberPositiveInt, 1, 'recomputed after the deletion');
    const res = await request('GET', `/fhir/Patient/${id}/$immds-forecast?assessmentDate=2023-06-01`);
    assert.equal(res.status, 200);
    const rec = (res.body as unknown as Parameters).parameter?.find((x) => x.name === 'recommendation')?.resource as ImmunizationRecommendation;
    assert.equal(rec.date, '2023-06-01');
  });

  test('evidence of immunity on record (a VXU OBX kept as an Observation) makes the stored and instance forecasts immune', async () => {
    const p = await request('POST', '/fhir/Patient', buildPatient({ birthDate: '2020-03-01' }));
    const id = p.body.id as string;
    const stored = (): Promise<ImmunizationRecommendation | undefined> => storedRecommendation(id);
    assert.notEqual(group(await stored(), 'Varicella')?.forecastStatus?.coding?.[0]?.code, 'immune');
    // As VXU intake stores OBX 59784-9 "Disease with presumed immunity" = SNOMED 38907003 (varicella), CDSi 024.
    const obs = await request('POST', '/fhir/Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '59784-9', display: 'Disease with presumed immunity' }] },
      subject: { reference: `Patient/${id}` },
      effectiveDateTime: '2022-05-01',
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '38907003', display: 'Varicella' }] },
    });
    assert.equal(obs.status, 201, JSON.stringify(obs.body));
    assert.equal(group(await stored(), 'Varicella')?.forecastStatus?.coding?.[0]?.code, 'immune', 'the stored recommendation was recomputed');
    const res = await request('GET', `/fhir/Patient/${id}/$immds-forecast?assessmentDate=2024-06-01`);
    const rec = (res.body as unknown as Parameters).parameter?.find((x) => x.name === 'recommendation')?.resource as ImmunizationRecommendation;
    assert.equal(group(rec, 'Varicella')?.forecastStatus?.coding?.[0]?.code, 'immune');
    assert.notEqual(group(rec, 'MMR')?.forecastStatus?.coding?.[0]?.code, 'immune', 'other groups are not affected');
  });
});
