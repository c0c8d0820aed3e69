/** Synthetic demo data set (pure): see {@link generateDemoBundle}. */
export { generateDemoBundle, DEFAULT_DEMO_SEED, type DemoBundleOptions } from './generate-demo-bundle.ts';
export { planDoses, chooseProduct, REGISTRY_START_DAY, type Adherence, type PlannedDose, type ScheduleInput } from './schedule.ts';
export { PRODUCTS, type SeriesKey, type VaccineProduct } from './vaccine-products.ts';
export { Prng, formatUuid, mixUint32 } from './prng.ts';
export { toEpochDay, fromEpochDay, ageInYears } from './dates.ts';
export { makeNpi, isValidNpi, MRN_SYSTEM_PREFIX, STATE_REGISTRY_SYSTEM, NPI_SYSTEM } from './identifiers.ts';
