/** State-scale synthetic population for benchmarks: see {@link generatePopulation}. */
export { generatePopulation, generatePopulationBatches, type PopulationOptions } from './generate-population.ts';
export { SURNAME_SAMPLES, RANKED_SURNAMES, COMMON_US_SURNAMES, ACCENTED_SURNAMES, surnameShare, drawSurname } from './names.ts';
export {
  populationPatientId, populationImmunizationId, populationStateId, populationMrn, populationClinic, POPULATION_CLINICS,
} from './identifiers.ts';
