import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { forecastPatient, loadSupportingData, mapToObservationCodes } from '../../src/forecast/index.ts';

const data = loadSupportingData(join(dirname(fileURLToPath(import.meta.url)), '../../src/forecast/supporting-data/4.64'));

test('newborn HepB: dose 1 due at birth, past due at 4 weeks - 1 day', () => {
  const result = forecastPatient({ birthDate: '2025-01-10', gender: 'female', assessmentDate: '2025-01-10', doses: [], observations: [] }, data);
  const hepb = result.vaccineGroups.find((g) => g.groupName === 'HepB');
  assert.equal(hepb?.status, 'Not Complete');
  assert.equal(hepb?.forecastDoseNumber, 1);
  assert.equal(hepb?.earliest, '2025-01-10');
  assert.equal(hepb?.pastDue, '2025-02-06');
  assert.equal(hepb?.groupCvx, '45');
});

test('DTaP given 5 days before 6 weeks is Not Valid too young; 4 days before is valid (grace)', () => {
  const base = { birthDate: '2025-01-01', gender: 'male' as const, assessmentDate: '2025-06-01', observations: [] };
  const tooYoung = forecastPatient({ ...base, doses: [{ id: 'a', date: '2025-02-07', cvx: '20' }] }, data);
  const d = tooYoung.evaluations.find((e) => e.doseId === 'a' && e.antigen === 'Diphtheria');
  assert.equal(d?.status, 'Not Valid');
  assert.ok(d?.reasons.includes('too young'));
  const grace = forecastPatient({ ...base, doses: [{ id: 'b', date: '2025-02-08', cvx: '20' }] }, data);
  assert.equal(grace.evaluations.find((e) => e.doseId === 'b' && e.antigen === 'Diphtheria')?.status, 'Valid');
});

test('MMR then varicella 10 days later: live virus conflict', () => {
  const result = forecastPatient({
    birthDate: '2020-01-01', gender: 'female', assessmentDate: '2021-06-01', observations: [],
    doses: [{ id: '1', date: '2021-01-05', cvx: '03' }, { id: '2', date: '2021-01-15', cvx: '21' }],
  }, data);
  const v = result.evaluations.find((e) => e.doseId === '2' && e.antigen === 'Varicella');
  assert.equal(v?.status, 'Not Valid');
  assert.ok(v?.reasons.includes('live virus conflict'));
});

test('expired lot makes the dose Sub-standard', () => {
  const result = forecastPatient({
    birthDate: '2020-01-01', gender: 'female', assessmentDate: '2020-03-01', observations: [],
    doses: [{ id: 'x', date: '2020-01-02', cvx: '08', lotExpiration: '2019-12' }],
  }, data);
  assert.equal(result.evaluations.find((e) => e.doseId === 'x')?.status, 'Sub-standard');
});

test('observation code mapping from SNOMED', () => {
  assert.deepEqual(mapToObservationCodes('http://snomed.info/sct', '370388006', data), ['003']);
});
