/**
 * Issue 5 (second look at cdsi-known-stale.json): pins the two LS 4.6 rules on which the stale claims turn,
 * on synthetic patients, so that nobody "fixes" a stale CDC row by loosening them.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { forecastPatient, loadSupportingData } from '../../src/forecast/index.ts';

const data = loadSupportingData(join(dirname(fileURLToPath(import.meta.url)), '../../src/forecast/supporting-data/4.64'));

test('issue 5: LS Table 5-4 - a risk indication applies only from its begin age date (Dengue, observation 211 from 9 years)', () => {
  const input = { birthDate: '2013-02-12', gender: 'female' as const, doses: [], observations: [{ code: '211' }] };
  const before = forecastPatient({ ...input, assessmentDate: '2022-02-11' }, data);
  assert.equal(before.vaccineGroups.find((g) => g.groupName === 'Dengue'), undefined);
  const on = forecastPatient({ ...input, assessmentDate: '2022-02-12' }, data);
  const dengue = on.vaccineGroups.find((g) => g.groupName === 'Dengue');
  assert.equal(dengue?.status, 'Not Complete');
  assert.equal(dengue?.earliest, '2022-02-12');
});

test('issue 5: CALCDTINT-1 - fromPrevious measures from the immediate previous dose, fromTargetDose from the named one', () => {
  const doses = [{ id: 'ppsv', date: '2016-08-01', cvx: '33' }, { id: 'pcv', date: '2017-08-01', cvx: '133' }];
  const base = { birthDate: '1977-05-01', gender: 'male' as const, assessmentDate: '2017-08-01', doses };
  // CSF leak / cochlear implant PPSV-PCV series, Dose 3: fromPrevious Y, 5 years -> from the PCV13.
  const csf = forecastPatient({ ...base, observations: [{ code: '011' }] }, data);
  assert.equal(csf.vaccineGroups.find((g) => g.groupName === 'Pneumococcal')?.earliest, '2022-08-01');
  // Immunocompromised PPSV-PCV-PPSV series, Dose 3: fromTargetDose 1, 5 years -> from the PPSV23.
  const immuno = forecastPatient({ ...base, observations: [{ code: '156' }] }, data);
  assert.equal(immuno.vaccineGroups.find((g) => g.groupName === 'Pneumococcal')?.earliest, '2021-08-01');
});
