/**
 * Ids and identifiers of the scale population, computable from (seed, index) without generating the population,
 * so a benchmark can query an existing patient directly. Index = position of the patient in the generated stream.
 */
import { formatUuid, mixUint32 } from '../../src/registry/demo/prng.ts';
import { MRN_SYSTEM_PREFIX, STATE_REGISTRY_SYSTEM } from '../../src/registry/demo/identifiers.ts';

/** Clinics (all-ages practices) whose MRN systems the population uses. */
export const POPULATION_CLINICS: readonly string[] = [
  'capitol-health', 'shoreline-fm', 'quarry-hill-chc', 'harbor-health', 'northwest-hills-health', 'valley-community-health',
];

const KIND_PATIENT = 1;
const KIND_IMMUNIZATION = 2;

/**
 * Deterministic UUID; the last word is a bijection of `n`, so ids never collide for one (seed, kind).
 * @param seed - population seed.
 * @param kind - resource kind salt.
 * @param n - sequence number (< 2^32).
 * @returns the UUID.
 */
function uuidFor(seed: number, kind: number, n: number): string {
  const s = mixUint32(seed);
  return formatUuid(mixUint32(s + kind), mixUint32(n + s), mixUint32(n ^ (s + kind * 0x9e3779b9)), mixUint32((n ^ s) >>> 0));
}

/**
 * @param seed - population seed.
 * @param index - patient index in the stream.
 * @returns the Patient id.
 */
export function populationPatientId(seed: number, index: number): string {
  return uuidFor(seed, KIND_PATIENT, index);
}

/**
 * @param seed - population seed.
 * @param n - immunization sequence number in the stream.
 * @returns the Immunization id.
 */
export function populationImmunizationId(seed: number, n: number): string {
  return uuidFor(seed, KIND_IMMUNIZATION, n);
}

/**
 * State registry id: 3^18 is coprime with 10^9, so `index * 3^18 + offset (mod 10^9)` is a permutation that
 * looks random yet is unique for up to a billion patients.
 * @param seed - population seed.
 * @param index - patient index.
 * @returns the identifier.
 */
export function populationStateId(seed: number, index: number): { system: string; value: string } {
  const v = (index * 387420489 + (mixUint32(seed) % 1_000_000_000)) % 1_000_000_000;
  return { system: STATE_REGISTRY_SYSTEM, value: `CT${String(v).padStart(9, '0')}` };
}

/**
 * Clinic slug of a patient (its MRN system).
 * @param seed - population seed.
 * @param index - patient index.
 * @returns the slug.
 */
export function populationClinic(seed: number, index: number): string {
  return POPULATION_CLINICS[mixUint32(index ^ mixUint32(seed)) % POPULATION_CLINICS.length] ?? 'riverbend-peds';
}

/**
 * Medical record number of a patient at its clinic.
 * @param seed - population seed.
 * @param index - patient index.
 * @returns the identifier.
 */
export function populationMrn(seed: number, index: number): { system: string; value: string } {
  return { system: `${MRN_SYSTEM_PREFIX}${populationClinic(seed, index)}`, value: `M${String(10_000_000 + index)}` };
}
