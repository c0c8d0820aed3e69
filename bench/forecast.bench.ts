/**
 * Forecast engine benchmark: patient forecasts per second over realistic childhood histories on
 * one core, and the time to run the whole CDC case set.
 */
import { CASES_DIR } from '../test/forecast/run-cdsi.ts';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { forecastPatient } from '../src/forecast/forecast-patient.ts';
import { loadSupportingData } from '../src/forecast/load-supporting-data.ts';
import { calcDate } from '../src/forecast/calc-date.ts';
import type { ForecastInput } from '../src/forecast/types.ts';
import { loadCases, runCase } from '../test/forecast/cdsi-harness.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** A CDC-schedule-like history for a child born on the given date, up to the given age in months. */
function childhood(birthDate: string, months: number, seed: number): ForecastInput {
  const plan: [number, string][] = [
    [0, '08'], [2, '110'], [2, '116'], [2, '133'], [2, '49'], [4, '110'], [4, '116'], [4, '133'], [4, '49'],
    [6, '110'], [6, '133'], [6, '141'], [12, '03'], [12, '21'], [12, '83'], [15, '20'], [15, '49'], [15, '133'],
    [18, '83'], [48, '94'], [48, '130'],
  ];
  const doses = plan.filter(([m]) => m <= months).map(([m, cvx], i) => ({
    id: String(i), date: calcDate(birthDate, `${m} months + ${seed % 5} days`) ?? birthDate, cvx,
  }));
  return { birthDate, gender: seed % 2 === 0 ? 'female' : 'male', assessmentDate: calcDate(birthDate, `${months} months + 10 days`) ?? birthDate, doses, observations: [] };
}

/**
 * Runs the benchmark and prints its figures.
 * @returns nothing; figures are printed.
 */
export async function runForecastBench(): Promise<void> {
  const data = loadSupportingData(join(here, '../src/forecast/supporting-data/4.64'));
  const patients: ForecastInput[] = [];
  for (let i = 0; i < 200; i += 1) patients.push(childhood(`20${10 + (i % 14)}-0${1 + (i % 9)}-1${i % 10}`, [2, 4, 6, 12, 15, 18, 48, 60][i % 8] ?? 12, i));
  // Warm up until the optimizing compiler has settled (2 s): after 20 forecasts, as before, its background
  // compilation was still running during the timed loop and billed about a fifth more CPU than the engine used.
  const warm = performance.now();
  while (performance.now() - warm < 2000) for (const p of patients) forecastPatient(p, data);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let n = 0;
  while (performance.now() - start < 3000) {
    for (const p of patients) forecastPatient(p, data);
    n += patients.length;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // CPU time is reported too because wall time is unreliable on a shared machine.
  console.log(`forecast: ${(n / seconds).toFixed(0)} patient forecasts/s wall, ${(n / cpuSeconds).toFixed(0)} per CPU-second, over childhood histories (one thread, ${n} runs)`);
  const files = ['cdsi-healthy-childhood-and-adult-test-cases-v4.45.csv', 'CDSi-underlying-conditions-test-cases-v4.6.csv'];
  const cases = files.flatMap((f) => loadCases(join(CASES_DIR, f)));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const c of cases) runCase(c, data);
  const c1 = process.cpuUsage(c0);
  console.log(`forecast: whole CDC case set (${cases.length} cases) in ${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${((c1.user + c1.system) / 1e6).toFixed(2)} s CPU`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runForecastBench();
