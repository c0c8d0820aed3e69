import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Bundle, Immunization, Patient } from '@medplum/fhirtypes';
import { buildImmunization, buildPatient, unique } from '../helpers/builders.ts';
import { BASE, request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

const tag = unique('tag');
const fam = unique('Fam');
const ids: Record<string, string> = {};

async function create<T extends Patient | Immunization>(r: T): Promise<string> {
  const res = await request('POST', `/fhir/${r.resourceType}`, { ...r, meta: { tag: [{ system: 'urn:test', code: tag }] } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

async function search(query: string, type = 'Patient'): Promise<string[]> {
  const res = await request('GET', `/fhir/${type}?_tag=urn:test|${tag}&_count=100&${query}`);
  assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
  return ((res.body as unknown as Bundle).entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id as string).sort();
}

const idsOf = (...names: string[]): string[] => names.map((n) => ids[n] as string).sort();

before(async () => {
  ids.jose = await create(buildPatient({
    name: [{ family: `${fam}-Müller`, given: ['José', 'Luis'] }], gender: 'male', birthDate: '2019-03-04',
    identifier: [{ system: 'urn:mrn', value: `${fam}-1`, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] } }],
    telecom: [{ system: 'phone', value: '555-0101' }, { system: 'email', value: 'jose@example.org' }],
    address: [{ line: ['1 Elm St'], city: 'Hartford', state: 'CT', postalCode: '06101' }],
    extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName', valueString: 'Garcia' }],
    active: true,
  }));
  ids.zoe = await create(buildPatient({
    name: [{ family: `${fam}son`, given: ['Zoë'] }], gender: 'female', birthDate: '2021-11-30',
    identifier: [{ system: 'urn:ssn', value: `${fam}-2` }], address: [{ city: 'New Haven', state: 'CT' }], active: false,
  }));
  ids.smith = await create(buildPatient({ name: [{ family: `Smith${fam}`, given: ['Jon'] }], gender: 'male', birthDate: '1960', multipleBirthInteger: 2 }));
  ids.imm1 = await create(buildImmunization(ids.jose as string, {
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '20', display: 'DTaP' }], text: 'DTaP pediatric' },
    occurrenceDateTime: '2019-05-06T10:00:00Z', lotNumber: `${fam}LOTA`, doseQuantity: { value: 0.5, system: 'http://unitsofmeasure.org', code: 'mL' },
    protocolApplied: [{ doseNumberPositiveInt: 1, series: 'DTaP primary', targetDisease: [{ coding: [{ system: 'http://snomed.info/sct', code: '397430003' }] }] }],
  }));
  ids.imm2 = await create(buildImmunization(ids.jose as string, {
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '08' }] }, occurrenceDateTime: '2019-03-04', lotNumber: `${fam}LOTB`,
    doseQuantity: { value: 0.25, system: 'http://unitsofmeasure.org', code: 'mL' }, protocolApplied: [{ doseNumberPositiveInt: 2 }],
  }));
  ids.imm3 = await create(buildImmunization(ids.zoe as string, { vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '20' }] }, occurrenceDateTime: '2022-01-15', status: 'not-done', primarySource: false, lotNumber: undefined, manufacturer: undefined }));
});

describe('string parameters', () => {
  test('case- and accent-insensitive starts-with on names and their parts', async () => {
    assert.deepEqual(await search(`family=${fam.toLowerCase()}`), idsOf('jose', 'zoe'));
    assert.deepEqual(await search('given=jose'), idsOf('jose'));
    assert.deepEqual(await search('given=ZOE'), idsOf('zoe'));
    assert.deepEqual(await search(`name=${fam}-mull`), idsOf('jose'));
    assert.deepEqual(await search('given=luis'), idsOf('jose'));
  });
  test(':exact and :contains', async () => {
    assert.deepEqual(await search(`family:exact=${fam}son`), idsOf('zoe'));
    assert.deepEqual(await search(`family:exact=${fam.toLowerCase()}son`), []);
    assert.deepEqual(await search('family:contains=muller'), idsOf('jose'));
    assert.deepEqual(await search(`family:contains=${fam.slice(3)}`), idsOf('jose', 'smith', 'zoe'));
  });
  test('address parts, mothers-maiden-name and phonetic', async () => {
    assert.deepEqual(await search('address-city=hartford'), idsOf('jose'));
    assert.deepEqual(await search('address=new%20hav'), idsOf('zoe'));
    assert.deepEqual(await search('address-postalcode=061'), idsOf('jose'));
    assert.deepEqual(await search('mothers-maiden-name=garc'), idsOf('jose'));
    assert.deepEqual(await search('phonetic=john'), idsOf('smith'), 'Jon sounds like John');
  });
});

describe('token parameters', () => {
  test('code, system|code, |code, system| and :not', async () => {
    assert.deepEqual(await search('gender=male'), idsOf('jose', 'smith'));
    assert.deepEqual(await search(`identifier=urn:mrn|${fam}-1`), idsOf('jose'));
    assert.deepEqual(await search(`identifier=${fam}-2`), idsOf('zoe'));
    assert.deepEqual(await search(`identifier=|${fam}-2`), []);
    assert.deepEqual(await search('identifier=urn:ssn|'), idsOf('zoe'));
    assert.deepEqual(await search('gender:not=male'), idsOf('zoe'));
    assert.deepEqual(await search('active=true'), idsOf('jose'));
    assert.deepEqual(await search('vaccine-code=http://hl7.org/fhir/sid/cvx|20', 'Immunization'), idsOf('imm1', 'imm3'));
    assert.deepEqual(await search('vaccine-code=20,08', 'Immunization'), idsOf('imm1', 'imm2', 'imm3'));
  });
  test(':text, :missing, :of-type, telecom, email and phone', async () => {
    assert.deepEqual(await search('vaccine-code:text=dtap ped', 'Immunization'), idsOf('imm1'));
    assert.deepEqual(await search('active:missing=true'), idsOf('smith'));
    assert.deepEqual(await search('active:missing=false'), idsOf('jose', 'zoe'));
    assert.deepEqual(await search(`identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|MR|${fam}-1`), idsOf('jose'));
    assert.deepEqual(await search('phone=555-0101'), idsOf('jose'));
    assert.deepEqual(await search('email=jose@example.org'), idsOf('jose'));
    assert.deepEqual(await search('telecom=555-0101'), idsOf('jose'));
  });
});

describe('date, number and quantity parameters', () => {
  test('prefixes and implicit ranges', async () => {
    assert.deepEqual(await search('birthdate=2019'), idsOf('jose'));
    assert.deepEqual(await search('birthdate=2019-03'), idsOf('jose'));
    assert.deepEqual(await search('birthdate=ge2019-03-04'), idsOf('jose', 'zoe'));
    assert.deepEqual(await search('birthdate=gt2019-03-04'), idsOf('zoe'));
    assert.deepEqual(await search('birthdate=lt2019'), idsOf('smith'));
    assert.deepEqual(await search('birthdate=le2019-03-04'), idsOf('jose', 'smith'));
    assert.deepEqual(await search('birthdate=ne2019-03-04'), idsOf('smith', 'zoe'));
    assert.deepEqual(await search('birthdate=sa2020'), idsOf('zoe'));
    assert.deepEqual(await search('birthdate=eb2000'), idsOf('smith'));
    assert.deepEqual(await search('birthdate=1960-06-01'), [], 'a year-precision value is not inside one day');
    assert.deepEqual(await search('birthdate=ap2021-12-01'), idsOf('zoe'));
    assert.deepEqual(await search('date=2019-05-06', 'Immunization'), idsOf('imm1'));
    assert.deepEqual(await search('date=ge2019-03-01&date=le2019-03-31', 'Immunization'), idsOf('imm2'));
    assert.deepEqual(await search('date=2019-05-06T10:00', 'Immunization'), idsOf('imm1'));
  });
  test('number and quantity', async () => {
    assert.deepEqual(await search('dose-number=1', 'Immunization'), idsOf('imm1'));
    assert.deepEqual(await search('dose-number=gt1', 'Immunization'), idsOf('imm2'));
    assert.deepEqual(await search('dose-quantity=lt0.5', 'Immunization'), idsOf('imm2'));
    assert.deepEqual(await search('dose-quantity=0.5|http://unitsofmeasure.org|mL', 'Immunization'), idsOf('imm1'));
    assert.deepEqual(await search('multiple-birth=2'), idsOf('smith'));
  });
});

describe('reference parameters, chaining and _has', () => {
  test('id, Type/id, absolute URL, :Type and :missing', async () => {
    assert.deepEqual(await search(`patient=${ids.jose}`, 'Immunization'), idsOf('imm1', 'imm2'));
    assert.deepEqual(await search(`patient=Patient/${ids.zoe}`, 'Immunization'), idsOf('imm3'));
    assert.deepEqual(await search(`patient=${BASE}/Patient/${ids.zoe}`, 'Immunization'), idsOf('imm3'));
    assert.deepEqual(await search(`subject:Patient=${ids.zoe}`, 'Immunization'), idsOf('imm1', 'imm2', 'imm3'), 'unknown parameter ignored');
    assert.deepEqual(await search('manufacturer:missing=true', 'Immunization'), idsOf('imm1', 'imm2', 'imm3'), 'manufacturer given by identifier only');
    assert.deepEqual(await search('manufacturer:identifier=http://terminology.hl7.org/CodeSystem/MVX|PMC', 'Immunization'), idsOf('imm1', 'imm2'));
  });
  test('chains and reverse chains', async () => {
    assert.deepEqual(await search(`patient.family=${fam}son`, 'Immunization'), idsOf('imm3'));
    assert.deepEqual(await search(`patient:Patient.identifier=urn:mrn|${fam}-1`, 'Immunization'), idsOf('imm1', 'imm2'));
    assert.deepEqual(await search('_has:Immunization:patient:vaccine-code=08'), idsOf('jose'));
    assert.deepEqual(await search('_has:Immunization:patient:status=not-done'), idsOf('zoe'));
    const bad = await request('GET', '/fhir/Immunization?patient.nonsense=1');
    assert.equal(bad.status, 400);
  });
  test('_id, _lastUpdated, lot-number, series, target-disease, status', async () => {
    assert.deepEqual(await search(`_id=${ids.jose},${ids.zoe}`), idsOf('jose', 'zoe'));
    assert.deepEqual(await search('_lastUpdated=gt2000-01-01'), idsOf('jose', 'smith', 'zoe'));
    assert.deepEqual(await search('_lastUpdated=lt2000-01-01'), []);
    assert.deepEqual(await search(`lot-number=${fam}lota`, 'Immunization'), idsOf('imm1'));
    assert.deepEqual(await search('series=dtap', 'Immunization'), idsOf('imm1'));
    assert.deepEqual(await search('target-disease=397430003', 'Immunization'), idsOf('imm1'));
    assert.deepEqual(await search('status=not-done', 'Immunization'), idsOf('imm3'));
    assert.deepEqual(await search('primary-source=false', 'Immunization'), idsOf('imm3'));
  });
});
