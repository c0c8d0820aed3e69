import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { validateResource } from '@medplum/core';
import type { Immunization, Patient, Resource } from '@medplum/fhirtypes';
import { loadR4Definitions } from '../../src/fhir/definitions.ts';
import { toEpochDay } from '../../src/registry/demo/dates.ts';
import {
  generatePopulation, generatePopulationBatches, populationMrn, populationPatientId, populationStateId, SURNAME_SAMPLES, surnameShare,
} from '../../bench/population/index.ts';

const SEED = 42;
const TODAY = '2026-01-01';
const N = 20_000;
const all: Resource[] = [...generatePopulation({ seed: SEED, patients: N, today: TODAY })];
const patients = all.filter((r): r is Patient => r.resourceType === 'Patient');
const immunizations = all.filter((r): r is Immunization => r.resourceType === 'Immunization');
const cvx = (i: Immunization): string => i.vaccineCode.coding?.[0]?.code ?? '';
/** The resources before the `n`-th patient: shorter runs equal longer ones up to their last family. */
const beforePatient = (stream: Resource[], n: number): Resource[] => {
  let seen = 0;
  const end = stream.findIndex((r) => r.resourceType === 'Patient' && seen++ === n);
  return stream.slice(0, end);
};

describe('generatePopulation', () => {
  before(() => loadR4Definitions());

  it('is deterministic for a seed', () => {
    const again = [...generatePopulation({ seed: SEED, patients: 500, today: TODAY })];
    const prefix = beforePatient(again, 490);
    assert.ok(prefix.length > 490);
    assert.deepEqual(prefix, all.slice(0, prefix.length));
    const other = [...generatePopulation({ seed: SEED + 1, patients: 500, today: TODAY })];
    assert.notDeepEqual(other.slice(0, 50), all.slice(0, 50));
  });

  it('produces the requested patients and about the requested immunizations per patient', () => {
    assert.equal(patients.length, N);
    const mean = immunizations.length / N;
    assert.ok(mean > 4 && mean < 6, `mean ${mean}`);
    const ten = [...generatePopulation({ seed: 3, patients: 2000, immunizationsPerPatient: 10, today: TODAY })];
    const mean10 = (ten.length - 2000) / 2000;
    assert.ok(mean10 > 8 && mean10 < 12, `mean ${mean10}`);
    const batches = [...generatePopulationBatches({ seed: SEED, patients: 300, today: TODAY }, 100)];
    assert.ok(batches.slice(0, -1).every((b) => b.length === 100));
    const flat = beforePatient(batches.flat(), 290);
    assert.deepEqual(flat, all.slice(0, flat.length));
  });

  it('assigns unique ids and identifiers that helpers can recompute', () => {
    const ids = new Set(all.map((r) => r.id));
    assert.equal(ids.size, all.length);
    for (const id of ids) assert.match(id ?? '', /^[A-Za-z0-9\-.]{1,64}$/);
    patients.forEach((p, i) => {
      assert.equal(p.id, populationPatientId(SEED, i));
      assert.deepEqual(p.identifier?.map((x) => ({ system: x.system, value: x.value })), [populationMrn(SEED, i), populationStateId(SEED, i)]);
    });
    const stateIds = new Set(patients.map((p) => p.identifier?.[1]?.value));
    assert.equal(stateIds.size, N);
    const mrns = new Set(patients.map((p) => `${p.identifier?.[0]?.system}|${p.identifier?.[0]?.value}`));
    assert.equal(mrns.size, N);
  });

  it('references the patient that precedes each immunization', () => {
    let current: Patient | undefined;
    for (const r of all) {
      if (r.resourceType === 'Patient') current = r;
      else assert.equal((r as Immunization).patient.reference, `Patient/${current?.id}`);
    }
  });

  it('has twins, hyphenated and accented names, and a realistic spread of ages and surnames', () => {
    const twins = patients.filter((p) => p.multipleBirthInteger !== undefined);
    assert.ok(twins.length >= 2 * Math.round(N * 0.008) && twins.length % 2 === 0, `${twins.length} twins`);
    const [a, b] = [twins[0] as Patient, twins[1] as Patient];
    assert.equal(a.birthDate, b.birthDate);
    assert.equal(a.name?.[0]?.family, b.name?.[0]?.family);
    assert.deepEqual(a.address, b.address);
    assert.deepEqual([a.multipleBirthInteger, b.multipleBirthInteger], [1, 2]);
    const families = patients.map((p) => p.name?.[0]?.family ?? '');
    assert.ok(families.filter((f) => f.includes('-')).length > N * 0.01, 'hyphenated');
    const accented = patients.filter((p) => /[À-ž]/.test(`${p.name?.[0]?.family} ${p.name?.[0]?.given?.join(' ')}`));
    assert.ok(accented.length > N * 0.02, 'accented');
    assert.ok(new Set(families).size > 2000, 'surname diversity');
    const smiths = families.filter((f) => f === SURNAME_SAMPLES.common[0]).length / N;
    assert.ok(smiths > 0.005 && smiths < 0.03, `common surname share ${smiths}`);
    assert.ok(surnameShare(SURNAME_SAMPLES.rare[0] ?? '') < 1e-4);
    const today = toEpochDay(TODAY);
    const ages = patients.map((p) => (today - toEpochDay(p.birthDate ?? '')) / 365.25);
    const share = (lo: number, hi: number): number => ages.filter((x) => x >= lo && x < hi).length / N;
    assert.ok(share(0, 1) > 0.005, 'infants');
    assert.ok(share(1, 18) > 0.15, 'children');
    assert.ok(share(18, 65) > 0.4, 'adults');
    assert.ok(share(65, 91) > 0.08, 'seniors');
    assert.ok(Math.max(...ages) < 91 && Math.min(...ages) >= 0);
  });

  it('dates doses within life and at schedule ages', () => {
    const birth = new Map(patients.map((p) => [`Patient/${p.id}`, toEpochDay(p.birthDate ?? '')]));
    const today = toEpochDay(TODAY);
    const minAgeDays: Record<string, number> = { '03': 365, '21': 365, '83': 365, '165': 9 * 365, '62': 9 * 365, '187': 50 * 365, '303': 60 * 365, '305': 60 * 365, '115': 10 * 365 };
    for (const imm of immunizations) {
      const day = toEpochDay(imm.occurrenceDateTime ?? '');
      const b = birth.get(imm.patient.reference ?? '') ?? NaN;
      assert.ok(day >= b && day <= today);
      const min = minAgeDays[cvx(imm)];
      if (min !== undefined) assert.ok(day - b >= min - 1, `CVX ${cvx(imm)} at ${day - b} days`);
    }
  });

  it('emits valid R4 resources', () => {
    for (const r of all.slice(0, 3000)) assert.doesNotThrow(() => validateResource(r), JSON.stringify(r).slice(0, 200));
  });
});
