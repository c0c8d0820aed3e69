import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { buildImmunization, buildPatient, unique } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';
import { reindexResources } from '../../src/store/reindex.ts';

after(async () => (await testRegistry()).close());

const tag = unique('t');
let pid = '';
const ids = async (q: string): Promise<string[]> =>
  (((await request('GET', q)).body as unknown as Bundle).entry ?? []).map((e) => e.resource?.id as string).sort();

before(async () => {
  const p = await request('POST', '/fhir/Patient', buildPatient({ meta: { profile: [`https://example.org/fhir/StructureDefinition/${tag}/child`], security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }], source: `urn:src:${tag}` } }));
  pid = p.body.id as string;
  await request('POST', '/fhir/Immunization', buildImmunization(pid, { meta: { tag: [{ system: 'urn:t', code: tag }] } }));
});

describe('uri, _profile, _security, _source and reference modifiers', () => {
  test('uri exact, :below and :above', async () => {
    assert.deepEqual(await ids(`/fhir/Patient?_profile=https://example.org/fhir/StructureDefinition/${tag}/child`), [pid]);
    assert.deepEqual(await ids(`/fhir/Patient?_profile:below=https://example.org/fhir/StructureDefinition/${tag}`), [pid]);
    assert.deepEqual(await ids(`/fhir/Patient?_profile:above=https://example.org/fhir/StructureDefinition/${tag}/child/more`), [pid]);
    assert.deepEqual(await ids(`/fhir/Patient?_source=urn:src:${tag}`), [pid]);
    assert.deepEqual(await ids(`/fhir/Patient?_id=${pid}&_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R`), [pid]);
  });

  test('reference :Type modifier and :missing', async () => {
    const imm = await ids(`/fhir/Immunization?_tag=urn:t|${tag}`);
    assert.deepEqual(await ids(`/fhir/Immunization?patient:Patient=${pid}`), imm);
    assert.deepEqual(await ids(`/fhir/Immunization?_tag=urn:t|${tag}&location:missing=true`), imm);
    assert.deepEqual(await ids(`/fhir/Immunization?_tag=urn:t|${tag}&patient:missing=true`), []);
    assert.equal((await request('GET', `/fhir/Immunization?patient:Organization=${pid}`)).status, 400);
  });
});

describe('reindex', () => {
  test('rebuilding the index keeps every search answer', async () => {
    const { db, services } = await testRegistry();
    const before = await ids(`/fhir/Immunization?patient=${pid}`);
    await db.query(`DELETE FROM sp_reference WHERE resource_type = 'Immunization' AND code = 'patient' AND target_id = $1`, [pid]);
    assert.deepEqual(await ids(`/fhir/Immunization?patient=${pid}`), [], 'index rows gone, the search finds nothing');
    const n = await reindexResources(db, services.searchParameters, { types: ['Immunization'] });
    assert.ok(n >= 1);
    assert.deepEqual(await ids(`/fhir/Immunization?patient=${pid}`), before);
  });
});
