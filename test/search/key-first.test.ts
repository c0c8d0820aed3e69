import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { buildImmunization, buildPatient, unique } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

// Issue 3: searches with several index lookups are answered by intersecting index entries, as a join driven by a
// selective lookup (a day, an identifier, a reference) or as an INTERSECT of non-selective ones. Both must give
// what one EXISTS per filter gave, including OR-ed values, modifiers and conditions left outside the lookups.
const fam = unique('Kf');
const ids: Record<string, string> = {};

async function create(body: object): Promise<string> {
  const res = await request('POST', `/fhir/${(body as { resourceType: string }).resourceType}`, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

async function search(query: string, type = 'Patient'): Promise<string[]> {
  const res = await request('GET', `/fhir/${type}?${query}&_count=50`);
  assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
  return ((res.body as unknown as Bundle).entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id as string).sort();
}

const idsOf = (...names: string[]): string[] => names.map((n) => ids[n] as string).sort();

before(async () => {
  ids.a = await create(buildPatient({ name: [{ family: fam, given: ['Ann', 'Marie'] }], gender: 'female', birthDate: '2001-05-06' }));
  ids.b = await create(buildPatient({ name: [{ family: fam, given: ['Bob'] }], gender: 'male', birthDate: '2001-09-10' }));
  ids.c = await create(buildPatient({ name: [{ family: `${fam}x`, given: ['Ann'] }], gender: 'female', birthDate: '2003-05-06' }));
  ids.ia = await create(buildImmunization(ids.a as string, { occurrenceDateTime: '2020-01-02' }));
  ids.ib = await create(buildImmunization(ids.b as string, { occurrenceDateTime: '2020-01-09' }));
});

test('issue 3: a day, a name and a given name intersect like separate conditions', async () => {
  assert.deepEqual(await search(`family=${fam}&given=Ann&birthdate=2001-05-06`), idsOf('a'));
  assert.deepEqual(await search(`family=${fam}&given=Marie,Bob&birthdate=2001-05-06`), idsOf('a'));
  assert.deepEqual(await search(`family=${fam}&birthdate=2003-05-06`), idsOf('c'));
});

test('issue 3: non-selective lookups (a year, a gender, a name prefix) intersect as sets', async () => {
  assert.deepEqual(await search(`family=${fam}&birthdate=2001`), idsOf('a', 'b'));
  assert.deepEqual(await search(`family=${fam}&birthdate=2001&gender=female`), idsOf('a'));
  assert.deepEqual(await search(`family:exact=${fam}&gender=female,male&birthdate=ge2001-01-01&birthdate=lt2004-01-01`), idsOf('a', 'b'));
  assert.deepEqual(await search(`family=${fam}&gender=female&birthdate=ge2001-01-01`), idsOf('a', 'c'));
  assert.deepEqual(await search(`family=${fam}&gender:not=female&birthdate=2001`), idsOf('b'));
  assert.deepEqual(await search(`phonetic=${fam}&birthdate=2002`), []);
});

test('issue 3: a reference with a date window, and a chain, still match', async () => {
  assert.deepEqual(await search(`patient=Patient/${ids.a}&date=ge2020-01-01&date=lt2020-01-08`, 'Immunization'), idsOf('ia'));
  assert.deepEqual(await search(`patient=Patient/${ids.a},Patient/${ids.b}&date=ge2020-01-01`, 'Immunization'), idsOf('ia', 'ib'));
  assert.deepEqual(await search(`patient.family=${fam}&date=ge2020-01-05`, 'Immunization'), idsOf('ib'));
});
