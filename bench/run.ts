import { runCrudBench } from './crud.bench.ts';
import { runSearchScaleBench } from './search-scale.bench.ts';

/** Benchmark suites by name; `npm run bench -- crud` runs one, no argument runs all. */
const SUITES: Record<string, () => Promise<void>> = {
  crud: runCrudBench,
  'search-scale': runSearchScaleBench,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(SUITES);
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
