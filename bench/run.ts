import { runCrudBench } from './crud.bench.ts';
import { runForecastBench } from './forecast.bench.ts';
import { runHl7Bench } from './hl7.bench.ts';
import { runSearchScaleBench } from './search-scale.bench.ts';

/**
 * Benchmark suites by name; `npm run bench -- crud` runs one. Without arguments the quick suites run; the state-scale
 * search benchmark (a ~25-minute load of 1,000,000 patients) runs only when named: `npm run bench -- search-scale`.
 */
const SUITES: Record<string, () => Promise<void>> = {
  crud: runCrudBench,
  'search-scale': runSearchScaleBench,
  forecast: runForecastBench,
  hl7: runHl7Bench,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : ['crud', 'forecast', 'hl7'];
console.log(`machine: ${(await import('node:os')).cpus().length} cores, ${(await import('node:os')).cpus()[0]?.model}; node ${process.version}`);
for (const name of names) {
  const suite = SUITES[name];
  if (!suite) {
    console.error(`unknown suite "${name}"; known: ${Object.keys(SUITES).join(', ')}`);
    process.exit(1);
  }
  await suite();
}
process.exit(0);
