import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { forecastPatient, loadSupportingData } from '../../src/forecast/index.ts';

const data = loadSupportingData(join(dirname(fileURLToPath(import.meta.url)), '../../src/forecast/supporting-data/4.64'));

test('issue 5: a catch-up target dose with no date to start from is Aged Out, not due at birth (LS §7.4, Table 7-9)', () => {
  // Asplenia at 30 years, no MenACWY dose: the 2-23 month risk series skips doses 1-3 and its dose 4 has no
  // minimum age and only an interval from a previous dose, so that series cannot finish; the 2-dose risk series
  // (minimum age 2 years) drives the forecast.
  const result = forecastPatient({ birthDate: '1990-03-15', gender: 'female', assessmentDate: '2020-06-01', observations: [{ code: '160' }], doses: [] }, data);
  const men = result.vaccineGroups.find((g) => g.groupName === 'Meningococcal');
  assert.equal(men?.status, 'Not Complete');
  assert.equal(men?.forecastDoseNumber, 1);
  assert.equal(men?.earliest, '1992-03-15');
  assert.equal(men?.recommended, '1992-03-15');
});

test('issue 5: an infant past 7 months at outbreak risk with no dose is forecast the series that can start (LS §7.4, §8.6)', () => {
  const result = forecastPatient({ birthDate: '2020-01-20', gender: 'male', assessmentDate: '2020-09-01', observations: [{ code: '070' }], doses: [] }, data);
  const men = result.vaccineGroups.find((g) => g.groupName === 'Meningococcal');
  assert.equal(men?.status, 'Not Complete');
  assert.equal(men?.earliest, '2020-03-20');
  assert.equal(men?.recommended, '2020-03-20');
});
