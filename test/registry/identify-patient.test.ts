import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import type { FhirContext } from '../../src/interactions/types.ts';
import { identifyPatient } from '../../src/registry/hl7/identify-patient.ts';
import { senderContext } from '../../src/registry/hl7/sender-context.ts';
import { unique } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';

after(async () => (await testRegistry()).close());

const BORN = '2019-07-04';

/** Stores patients in one transaction and returns their ids in order. */
async function store(patients: Patient[]): Promise<string[]> {
  const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: patients.map((resource) => ({ resource, request: { method: 'POST', url: 'Patient' } })) };
  const res = await request('POST', '/fhir', bundle);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return ((res.body as unknown as Bundle).entry ?? []).map((e) => e.response?.location?.split('/')[1] as string);
}

const reported = (family: string, given: string, gender?: Patient['gender']): Patient => ({
  resourceType: 'Patient', name: [{ family, given: [given] }], birthDate: BORN, ...(gender ? { gender } : {}),
});

describe('patient identification on VXU intake by demographics (issue 6 item 2)', () => {
  let ctx: FhirContext;
  before(async () => {
    const reg = await testRegistry();
    const org = await request('POST', '/fhir/Organization', { resourceType: 'Organization', name: 'Matching clinic' });
    ctx = senderContext(reg.services, reg.repo, { organizationId: org.body.id as string, facilityId: unique('FAC'), name: 'Matching clinic' }, unique('req'));
  });

  it('tells twins and namesakes apart by first given name and sex, exactly', async () => {
    const family = unique('Fam');
    const [ann, ben, annMale, eve] = await store([
      { resourceType: 'Patient', name: [{ family, given: ['Ann'] }], birthDate: BORN, gender: 'female' },
      { resourceType: 'Patient', name: [{ family, given: ['Ben'] }], birthDate: BORN, gender: 'male' },
      { resourceType: 'Patient', name: [{ family, given: ['Ann'] }], birthDate: BORN, gender: 'male' },
      { resourceType: 'Patient', name: [{ family, given: ['Eve', 'Marie'] }], birthDate: BORN, gender: 'female' },
    ]);
    const match = async (p: Patient): Promise<string> => {
      const found = await identifyPatient(ctx, p);
      return found.kind === 'new' ? `new:${found.ambiguous}` : `${found.kind}:${found.patient.id}`;
    };
    assert.equal(await match(reported(family, 'Ann', 'female')), `demographics:${ann}`);
    assert.equal(await match(reported(family, 'Ann', 'male')), `demographics:${annMale}`);
    assert.equal(await match(reported(family, 'Ben', 'male')), `demographics:${ben}`);
    assert.equal(await match(reported(family, 'Ben', 'female')), 'new:0', 'the sex must agree');
    assert.equal(await match(reported(family, 'Ann')), 'new:2', 'without a sex, two patients match: neither is taken');
    assert.equal(await match(reported(family, 'Ann', 'unknown')), 'new:2', 'an unknown sex does not narrow');
    assert.equal(await match(reported(family, 'Marie', 'female')), `demographics:${eve}`, 'any given name counts, as given:exact');
    assert.equal(await match(reported(family, 'ann', 'female')), 'new:0', 'exact: case matters, as given:exact');
    assert.equal(await match({ ...reported(family, 'Ann', 'female'), birthDate: '2019-07-05' }), 'new:0', 'the birth date must agree');
  });

  it('still finds the patient when many share the family name and birth date', async () => {
    const family = unique('Common');
    const ids = await store(Array.from({ length: 25 }, (_, i) => ({ resourceType: 'Patient' as const, name: [{ family, given: [`Kid${i}`] }], birthDate: BORN, gender: 'female' as const })));
    const found = await identifyPatient(ctx, reported(family, 'Kid23', 'female'));
    assert.equal(found.kind, 'demographics');
    assert.equal(found.kind === 'demographics' && found.patient.id, ids[23]);
    assert.equal((await identifyPatient(ctx, reported(family, 'Kid99', 'female'))).kind, 'new');
  });
});
