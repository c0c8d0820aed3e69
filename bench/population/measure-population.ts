/**
 * Prints the population generator's throughput and sample query values:
 * `node --import ./scripts/ts-loader.mjs bench/population/measure-population.ts [patients=200000] [seed=1]`.
 */
import { generatePopulation, populationMrn, populationPatientId, populationStateId, SURNAME_SAMPLES } from './index.ts';

const patients = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? 1);
const started = performance.now();
let resources = 0;
let immunizations = 0;
for (const resource of generatePopulation({ seed, patients })) {
  resources += 1;
  if (resource.resourceType === 'Immunization') immunizations += 1;
}
const seconds = (performance.now() - started) / 1000;
console.log(`patients ${patients}, immunizations ${immunizations} (${(immunizations / patients).toFixed(2)} per patient)`);
console.log(`${resources} resources in ${seconds.toFixed(2)} s = ${Math.round(resources / seconds).toLocaleString('en-US')} resources/s`);
console.log('common surnames', SURNAME_SAMPLES.common.slice(0, 3), 'rare', SURNAME_SAMPLES.rare.slice(0, 3));
const index = Math.floor(patients / 2);
console.log('existing patient', populationPatientId(seed, index), populationStateId(seed, index), populationMrn(seed, index));
