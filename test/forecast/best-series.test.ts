import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { forecastPatient, loadSupportingData } from '../../src/forecast/index.ts';

const data = loadSupportingData(join(dirname(fileURLToPath(import.meta.url)), '../../src/forecast/supporting-data/4.64'));
const ipv = (id: string, date: string): { id: string; date: string; cvx: string } => ({ id, date, cvx: '10' });

test('completed standard polio series + lab worker: risk booster due, forecast number counts the standard doses (LS §8.8)', () => {
  const result = forecastPatient({
    birthDate: '1977-11-23', gender: 'male', assessmentDate: '2016-04-04', observations: [{ code: '054' }],
    doses: [ipv('1', '1978-01-23'), ipv('2', '1978-02-20'), ipv('3', '1978-11-23'), ipv('4', '1982-02-02')],
  }, data);
  const polio = result.vaccineGroups.find((g) => g.groupName === 'Polio');
  assert.equal(polio?.status, 'Not Complete');
  assert.equal(polio?.forecastDoseNumber, 5);
  assert.equal(polio?.earliest, '1995-11-23');
  for (const id of ['1', '2', '3', '4']) assert.ok(result.evaluations.some((e) => e.doseId === id && e.status === 'Valid'), `dose ${id} valid`);
});

test('completed-series skip counts only from the dose that completed the standard series (LS §6.2)', () => {
  // The adult catch-up standard series completes with the third dose; the risk series doses 1 and 2 were
  // given before that and must still be evaluated against risk target doses 1 and 2.
  const result = forecastPatient({
    birthDate: '1961-08-10', gender: 'female', assessmentDate: '2017-04-03', observations: [{ code: '143' }],
    doses: [ipv('1', '2016-09-05'), ipv('2', '2016-10-03'), ipv('3', '2017-04-03')],
  }, data);
  assert.equal(result.vaccineGroups.find((g) => g.groupName === 'Polio')?.status, 'Complete');
  for (const id of ['1', '2', '3']) assert.ok(result.evaluations.some((e) => e.doseId === id && e.status === 'Valid'), `dose ${id} valid`);
  assert.ok(!result.evaluations.some((e) => e.antigen === 'Polio' && e.status === 'Extraneous'));
});

test('issue 5: every series of a group Contraindicated after a valid dose still yields a prioritized series (LS §8.1 SELECTB-24, Table 8-5 gap)', () => {
  const result = forecastPatient({
    birthDate: '1980-02-01', gender: 'female', assessmentDate: '2020-03-01', observations: [{ code: '082' }, { code: '165' }],
    doses: [{ id: '1', date: '2020-02-01', cvx: '134' }],
  }, data);
  assert.equal(result.vaccineGroups.find((g) => g.groupName === 'Japanese Encephalitis')?.status, 'Contraindicated');
  assert.ok(result.evaluations.some((e) => e.doseId === '1' && e.status === 'Valid'));
});
