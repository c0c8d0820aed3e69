import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { addDays, calcDate, lotExpirationDate, normalizeDataDate, parseDuration } from '../../src/forecast/calc-date.ts';

test('CALCDT-5: an impossible date rolls to the first of the next month', () => {
  assert.equal(calcDate('2024-03-31', '6 months'), '2024-10-01');
  assert.equal(calcDate('2023-01-31', '1 month'), '2023-03-01');
  assert.equal(calcDate('2024-02-29', '1 year'), '2025-03-01');
  assert.equal(calcDate('2024-12-31', '2 months'), '2025-03-01');
});

test('CALCDT-1/2/3/6: years, months, weeks and days, with "- 4 days" applied last', () => {
  assert.equal(calcDate('2020-01-15', '4 years - 4 days'), '2024-01-11');
  assert.equal(calcDate('2020-01-15', '6 weeks - 4 days'), '2020-02-22');
  assert.equal(calcDate('2020-01-15', '8 months + 1 day'), '2020-09-16');
  assert.equal(calcDate('2020-01-15', '28 days - 4 days'), '2020-02-08');
  assert.equal(calcDate('2020-01-15', '1 year'), '2021-01-15');
  assert.equal(calcDate('2020-01-15', ''), undefined);
});

test('parseDuration handles singular, plural and signs', () => {
  assert.deepEqual(parseDuration('5 months + 4 weeks'), { years: 0, months: 5, days: 28 });
  assert.deepEqual(parseDuration('1 day'), { years: 0, months: 0, days: 1 });
});

test('FORECASTDT-3 style "- 1 day" and day arithmetic across months and leap years', () => {
  assert.equal(addDays('2024-03-01', -1), '2024-02-29');
  assert.equal(addDays('2023-12-31', 1), '2024-01-01');
});

test('CALCDTLOTEXP-1 and supporting-data date formats', () => {
  assert.equal(lotExpirationDate('2024-02'), '2024-02-29');
  assert.equal(lotExpirationDate('02/2023'), '2023-02-28');
  assert.equal(normalizeDataDate('20250827'), '2025-08-27');
  assert.equal(normalizeDataDate('01/01/1957'), '1957-01-01');
});
