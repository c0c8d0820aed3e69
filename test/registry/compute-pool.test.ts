import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Immunization, Patient, Resource } from '@medplum/fhirtypes';
import { createRegistryValidator } from '../../src/fhir/registry-validator.ts';
import type { R4Validator } from '../../src/fhir/r4-validator.ts';
import { ComputePool } from '../../src/registry/compute-pool.ts';
import { DEFAULT_CDSI_DIR, forecastInFhir } from '../../src/registry/forecast/forecast-service.ts';
import { loadSupportingData } from '../../src/forecast/index.ts';

const SAMPLES: Resource[] = [
  { resourceType: 'Patient', name: [{ family: 'Poolton', given: ['Ada'] }], gender: 'female', birthDate: '2019-04-02' },
  { resourceType: 'Patient', gender: 'robot', birthDate: '2019-13-40' } as unknown as Resource,
  { resourceType: 'Patient', name: [{ family: 'Nobirth' }] },
  {
    resourceType: 'Immunization', status: 'completed', patient: { reference: 'Patient/x' }, occurrenceDateTime: '2020-01-01', primarySource: true,
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '20' }] }, lotNumber: 'L1', manufacturer: { identifier: { system: 'http://terminology.hl7.org/CodeSystem/MVX', value: 'PMC' } },
  },
  { resourceType: 'Immunization', status: 'done', patient: { reference: 'Patient/x' }, vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '20' }] }, occurrenceDateTime: '2020-01-01', primarySource: true } as unknown as Resource,
  { resourceType: 'Immunization', status: 'completed', patient: { reference: 'Patient/x' }, vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: 'nope' }] }, occurrenceDateTime: '2020-01-01', extra: 1 } as unknown as Resource,
];

let inline: R4Validator;
let pool: ComputePool;

before(() => {
  inline = createRegistryValidator();
  pool = new ComputePool(createRegistryValidator(), { workers: 1, startAbove: 0 });
});
after(async () => {
  await pool?.close();
});

async function workerReady(): Promise<void> {
  await pool.validateAsync(SAMPLES[0] as Resource); // starts the worker
  for (let i = 0; i < 200 && pool.readyWorkers === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(pool.readyWorkers, 1, 'the worker came up');
}

const CHILD: Patient = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '2024-01-10' };
const DOSES: Immunization[] = ['2024-03-12', '2024-05-14'].flatMap((date, n) => [
  { resourceType: 'Immunization', id: `d${n}`, status: 'completed', patient: { reference: 'Patient/p1' }, occurrenceDateTime: date, vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '20' }] } },
  { resourceType: 'Immunization', id: `h${n}`, status: 'completed', patient: { reference: 'Patient/p1' }, occurrenceDateTime: date, vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '49' }] } },
] as Immunization[]);

describe('ComputePool', () => {
  it('gives, from a worker thread, exactly the report of the calling thread for valid and invalid resources', async () => {
    await workerReady();
    const before = pool.offloaded;
    const reports = await Promise.all(SAMPLES.map((r) => pool.validateAsync(r)));
    assert.equal(pool.offloaded - before, SAMPLES.length, 'every sample went to the worker');
    SAMPLES.forEach((r, i) => assert.deepEqual(reports[i], inline.validate(r), `sample ${i}`));
    assert.ok(reports[1]?.base.some((i: { expression?: string[] }) => i.expression?.[0]?.startsWith('Patient.gender')));
    assert.ok(reports[2]?.profile.length, 'the IIS Patient profile needs a birth date');
    assert.ok(reports[4]?.base.length, 'Immunization.status is a required binding');
  });

  it('forecasts in the worker exactly as on the calling thread', async () => {
    await workerReady();
    const data = loadSupportingData(DEFAULT_CDSI_DIR);
    const inlineForecast = () => forecastInFhir(data, CHILD, DOSES, [], '2024-09-01');
    const before = pool.offloaded;
    const fromWorker = await pool.forecastAsync(CHILD, DOSES, '2024-09-01', () => assert.fail('should run in the worker'));
    assert.equal(pool.offloaded - before, 1);
    assert.deepEqual(fromWorker, inlineForecast());
    const dtap = fromWorker.recommendation.recommendation.find((r) => r.vaccineCode?.some((c) => c.coding?.some((x) => x.code === 'DTaP/Tdap/Td')));
    assert.equal(dtap?.doseNumberPositiveInt, 3, 'two DTaP doses given: the third is next');
  });

  it('past the queue limit, validates on the calling thread instead of queueing', async () => {
    const small = new ComputePool(createRegistryValidator(), { workers: 1, startAbove: 0, queueLimit: 2 });
    try {
      await small.validateAsync(SAMPLES[0] as Resource);
      for (let i = 0; i < 200 && small.readyWorkers === 0; i++) await new Promise((r) => setTimeout(r, 50));
      const reports = await Promise.all(Array.from({ length: 10 }, () => small.validateAsync(SAMPLES[3] as Resource)));
      assert.equal(small.offloaded, 2);
      for (const r of reports) assert.deepEqual(r, inline.validate(SAMPLES[3] as Resource));
    } finally {
      await small.close();
    }
  });

  it('closing hands pending work back to the calling thread: every promise resolves with the right report', async () => {
    const p = new ComputePool(createRegistryValidator(), { workers: 1, startAbove: 0, queueLimit: 1000 });
    await p.validateAsync(SAMPLES[0] as Resource);
    for (let i = 0; i < 200 && p.readyWorkers === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const pending = Array.from({ length: 50 }, (_, i) => p.validateAsync(SAMPLES[i % SAMPLES.length] as Resource));
    await p.close();
    const reports = await Promise.all(pending);
    reports.forEach((r: unknown, i: number) => assert.deepEqual(r, inline.validate(SAMPLES[i % SAMPLES.length] as Resource)));
  });

  it('with no workers configured, validates inline', async () => {
    const none = new ComputePool(inline, { workers: 0 });
    assert.deepEqual(await none.validateAsync(SAMPLES[1] as Resource), inline.validate(SAMPLES[1] as Resource));
    assert.equal(none.offloaded, 0);
  });
});
