import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { buildImmunization, buildPatient, unique } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';
import { adminToken } from '../helpers/tokens.ts';

after(async () => (await testRegistry()).close());

const fam = unique('Sort');
const patients: string[] = [];
let orgId = '';

const bundle = (b: unknown): Bundle => b as Bundle;
const path = (url: string): string => url.replace('http://localhost:8080', '');

before(async () => {
  orgId = (await request('POST', '/fhir/Organization', { resourceType: 'Organization', name: `Clinic ${fam}` })).body.id as string;
  const births = ['2018-01-01', '2018-01-01', '2019-06-01', '2020-02-02', '2021-03-03'];
  const givens = ['Bea', 'Abe', 'Cal', 'Dee', 'Eve'];
  for (let i = 0; i < births.length; i++) {
    const p = await request('POST', '/fhir/Patient', buildPatient({ name: [{ family: fam, given: [givens[i] as string] }], birthDate: births[i], managingOrganization: { reference: `Organization/${orgId}` } }));
    patients.push(p.body.id as string);
    await request('POST', '/fhir/Immunization', buildImmunization(p.body.id as string, { occurrenceDateTime: '2022-01-01' }));
  }
});

describe('result controls', () => {
  test('_sort on several keys with - for descending', async () => {
    const res = await request('GET', `/fhir/Patient?family=${fam}&_sort=birthdate,-given`);
    const given = bundle(res.body).entry?.map((e) => (e.resource as { name: { given: string[] }[] }).name[0]?.given[0]);
    assert.deepEqual(given, ['Bea', 'Abe', 'Cal', 'Dee', 'Eve']);
    const desc = await request('GET', `/fhir/Patient?family=${fam}&_sort=-birthdate,given`);
    assert.deepEqual(bundle(desc.body).entry?.map((e) => (e.resource as { name: { given: string[] }[] }).name[0]?.given[0]), ['Eve', 'Dee', 'Cal', 'Abe', 'Bea']);
    assert.equal((await request('GET', `/fhir/Patient?_sort=nonsense`)).status, 400);
  });

  test('paging: next/previous links walk every match once', async () => {
    const seen: string[] = [];
    let url: string | undefined = `/fhir/Patient?family=${fam}&_count=2&_sort=birthdate`;
    let pages = 0;
    while (url) {
      const res = await request('GET', url);
      const b = bundle(res.body);
      seen.push(...(b.entry ?? []).map((e) => e.resource?.id as string));
      url = b.link?.find((l) => l.relation === 'next')?.url;
      if (url) url = path(url);
      pages++;
      if (pages === 2) assert.ok(b.link?.some((l) => l.relation === 'previous'));
    }
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...patients].sort());
  });

  test('paging stays correct while data changes: no repeats, no skips (default order and _sort)', async () => {
    for (const sort of ['', '&_sort=-birthdate']) {
      const extras = [
        (await request('POST', '/fhir/Patient', buildPatient({ name: [{ family: fam, given: ['Tmp'] }], birthDate: '2019-01-01' }))).body.id as string,
        (await request('POST', '/fhir/Patient', buildPatient({ name: [{ family: fam, given: ['Tmq'] }], birthDate: '2019-01-03' }))).body.id as string,
      ];
      const first = await request('GET', `/fhir/Patient?family=${fam}&_count=2${sort}`);
      const seen = (bundle(first.body).entry ?? []).map((e) => e.resource?.id as string);
      // Between pages: a new match appears and an unseen one is deleted.
      const inserted = await request('POST', '/fhir/Patient', buildPatient({ name: [{ family: fam, given: ['Late'] }], birthDate: '2019-01-02' }));
      const victim = extras.find((id) => !seen.includes(id));
      if (victim) await request('DELETE', `/fhir/Patient/${victim}`);
      let next = bundle(first.body).link?.find((l) => l.relation === 'next')?.url;
      while (next) {
        const page = bundle((await request('GET', path(next))).body);
        seen.push(...(page.entry ?? []).map((e) => e.resource?.id as string));
        next = page.link?.find((l) => l.relation === 'next')?.url;
      }
      assert.equal(new Set(seen).size, seen.length, `no resource appears twice (${sort || 'default order'})`);
      for (const id of [...patients, ...extras.filter((e) => e !== victim)]) {
        assert.ok(seen.includes(id), `every match present throughout is seen (${sort || 'default order'})`);
      }
      if (victim) assert.ok(!seen.includes(victim) || seen.indexOf(victim) < 2);
      for (const id of [inserted.body.id as string, ...extras]) await request('DELETE', `/fhir/Patient/${id}`);
    }
  });

  test('previous links lead back', async () => {
    const p1 = bundle((await request('GET', `/fhir/Patient?family=${fam}&_count=2`)).body);
    const p2 = bundle((await request('GET', path(p1.link?.find((l) => l.relation === 'next')?.url as string))).body);
    const back = bundle((await request('GET', path(p2.link?.find((l) => l.relation === 'previous')?.url as string))).body);
    assert.deepEqual(back.entry?.map((e) => e.resource?.id), p1.entry?.map((e) => e.resource?.id));
  });

  test('_total accurate and estimate, _summary=count, _count=0', async () => {
    const acc = await request('GET', `/fhir/Patient?family=${fam}&_total=accurate&_count=1`);
    assert.equal(bundle(acc.body).total, 5);
    const est = await request('GET', `/fhir/Patient?family=${fam}&_total=estimate`);
    assert.equal(typeof bundle(est.body).total, 'number');
    const count = await request('GET', `/fhir/Patient?family=${fam}&_summary=count`);
    assert.equal(bundle(count.body).total, 5);
    assert.equal(bundle(count.body).entry, undefined);
    const none = await request('GET', `/fhir/Patient?family=${fam}`);
    assert.equal(bundle(none.body).total, undefined, '_total defaults to none');
  });

  test('_elements and _summary in search results', async () => {
    const res = await request('GET', `/fhir/Patient?family=${fam}&_elements=birthDate&_count=1`);
    const p = bundle(res.body).entry?.[0]?.resource as unknown as Record<string, unknown>;
    assert.ok(p.birthDate);
    assert.equal(p.name, undefined);
  });

  test('_include, _revinclude and :iterate, with search.mode', async () => {
    const res = await request('GET', `/fhir/Immunization?patient.family=${fam}&_include=Immunization:patient&_include:iterate=Patient:organization`);
    const b = bundle(res.body);
    const modes = (b.entry ?? []).map((e) => `${e.resource?.resourceType}:${e.search?.mode}`);
    assert.equal(modes.filter((m) => m === 'Immunization:match').length, 5);
    assert.equal(modes.filter((m) => m === 'Patient:include').length, 5);
    assert.equal(modes.filter((m) => m === 'Organization:include').length, 1, 'iterate follows patient -> organization once');
    const rev = await request('GET', `/fhir/Patient?family=${fam}&_revinclude=Immunization:patient`);
    assert.equal(bundle(rev.body).entry?.filter((e) => e.search?.mode === 'include').length, 5);
    assert.equal((await request('GET', '/fhir/Patient?_include=Patient:nothing')).status, 400);
  });

  test('compartment search, POST _search and _type', async () => {
    const comp = await request('GET', `/fhir/Patient/${patients[0]}/Immunization`);
    assert.equal(comp.status, 200);
    assert.equal(bundle(comp.body).entry?.length, 1);
    const form = await (await testRegistry()).app.inject({
      method: 'POST',
      url: '/fhir/Patient/_search',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${await adminToken()}` },
      payload: `family=${fam}&birthdate=2018-01-01`,
    });
    assert.equal(JSON.parse(form.body).entry.length, 2);
    const multi = await request('GET', `/fhir?_type=Patient,Organization&_id=${patients[1]},${orgId}`);
    assert.deepEqual(bundle(multi.body).entry?.map((e) => e.resource?.resourceType).sort(), ['Organization', 'Patient']);
  });
});
