/**
 * Streaming generator of a state-scale synthetic population (Patients, then each patient's Immunizations) for
 * the search and load benchmarks. Pure and deterministic for a seed; ids are assigned here so that
 * `Immunization.patient` is a plain `Patient/<id>` reference and resources can be loaded in any order.
 *
 * Speed matters more than detail (it feeds million-patient loads): coded values are shared constant objects,
 * so consumers must treat yielded resources as read-only (serialise them, do not edit them in place).
 */
import type { Address, CodeableConcept, Immunization, Organization, Patient, Quantity, Reference, Resource } from '@medplum/fhirtypes';
import { Prng } from '../../src/registry/demo/prng.ts';
import { DAYS_PER_YEAR, fromEpochDay, toEpochDay } from '../../src/registry/demo/dates.ts';
import { planDoses, type Adherence } from '../../src/registry/demo/schedule.ts';
import { PRODUCTS, type VaccineProduct } from '../../src/registry/demo/vaccine-products.ts';
import { ELIGIBILITY, FUNDING, MVX_SYSTEM, ROUTES, SITES, vaccineCodeOf, type VfcCode } from '../../src/registry/demo/coded-values.ts';
import { MR_TYPE, SR_TYPE } from '../../src/registry/demo/identifiers.ts';
import { CT_TOWNS, STREET_NAMES, fictionalPhone, type CtTown } from '../../src/registry/demo/ct-places.ts';
import { FEMALE_GIVEN, MALE_GIVEN, drawSurname } from './names.ts';
import { populationImmunizationId, populationMrn, populationPatientId, populationStateId } from './identifiers.ts';

/** Options of {@link generatePopulation}. */
export interface PopulationOptions {
  /** PRNG seed. */
  seed: number;
  /** Number of patients to generate (twins count as two). */
  patients: number;
  /** Target mean number of Immunizations per patient (default 5); histories are thinned uniformly to reach it. */
  immunizationsPerPatient?: number;
  /** Reference day `YYYY-MM-DD` (default 2026-01-01, fixed so that runs are comparable). */
  today?: string;
}

const TWIN_RATE = 0.016;
const MOTHERS_MAIDEN_NAME_URL = 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName';
const HYPHEN_RATE = 0.03;

/** Age weights per year 0..90: flat to 64, then tapering, as in a state population pyramid. */
const AGE_CUMULATIVE: Float64Array = (() => {
  const c = new Float64Array(91);
  let sum = 0;
  for (let y = 0; y <= 90; y += 1) {
    sum += y < 65 ? 1 : 1 - (0.8 * (y - 64)) / 26;
    c[y] = sum;
  }
  return c.map((v) => v / sum);
})();

const TOWN_CUMULATIVE: Float64Array = (() => {
  const total = CT_TOWNS.reduce((s, t) => s + t.weight, 0);
  let acc = 0;
  return Float64Array.from(CT_TOWNS, (t) => (acc += t.weight) / total);
})();

function searchCumulative(c: Float64Array, u: number): number {
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((c[mid] ?? 1) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface ProductParts {
  readonly manufacturer: Reference<Organization>;
  readonly dose: Quantity;
  readonly codeWithNdc: CodeableConcept;
  readonly codeWithoutNdc: CodeableConcept;
}

const PARTS = new Map<VaccineProduct, ProductParts>(
  Object.values(PRODUCTS).map((p) => [p, {
    manufacturer: { identifier: { system: MVX_SYSTEM, value: p.mvx }, display: p.manufacturer },
    dose: { value: p.doseMl, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' },
    codeWithNdc: vaccineCodeOf(p, '9999-12-31'),
    codeWithoutNdc: vaccineCodeOf(p, '0000-01-01'),
  }]),
);

function drawAdherence(u: number): Adherence {
  return u < 0.82 ? 'complete' : u < 0.96 ? 'behind' : 'minimal';
}

/** Mean full-history length, estimated once per reference day by simulating a sample (for thinning). */
function estimateFullHistoryMean(today: number): number {
  const rng = new Prng(0xca11b);
  let total = 0;
  const n = 3000;
  for (let i = 0; i < n; i += 1) {
    const birthDay = today - Math.floor((searchCumulative(AGE_CUMULATIVE, rng.next()) + rng.next()) * DAYS_PER_YEAR);
    total += planDoses(rng, { birthDay, today, adherence: drawAdherence(rng.next()), preference: 0 }).length;
  }
  return total / n;
}

/**
 * Generates the population as a stream: each Patient is followed by its Immunizations.
 * @param options - seed, size and mean immunizations per patient.
 * @returns a generator of Patient and Immunization resources.
 */
export function* generatePopulation(options: PopulationOptions): Generator<Resource> {
  const { seed, patients } = options;
  const today = toEpochDay(options.today ?? '2026-01-01');
  const rng = new Prng(seed);
  const keep = Math.min(1, (options.immunizationsPerPatient ?? 5) / estimateFullHistoryMean(today));
  let index = 0;
  let immunizationCount = 0;
  while (index < patients) {
    // Always draw, so that a shorter run is a prefix of a longer one with the same seed (except its last family).
    const twinDraw = rng.chance(TWIN_RATE);
    const twins = twinDraw && index + 1 < patients;
    const ageYear = searchCumulative(AGE_CUMULATIVE, rng.next());
    const birthDay = today - Math.floor((ageYear + rng.next()) * DAYS_PER_YEAR);
    const family = rng.chance(HYPHEN_RATE) ? `${drawSurname(rng.next())}-${drawSurname(rng.next())}` : drawSurname(rng.next());
    const town: CtTown = CT_TOWNS[searchCumulative(TOWN_CUMULATIVE, rng.next())] ?? (CT_TOWNS[0] as CtTown);
    const address: Address = {
      use: 'home', line: [`${rng.int(1, 2999)} ${rng.pick(STREET_NAMES)}`], city: town.city, state: 'CT', postalCode: town.zip, country: 'US',
    };
    const phone = fictionalPhone(town.areaCode, rng.int(0, 99));
    const adherence = drawAdherence(rng.next());
    const e = rng.next();
    const eligibility: VfcCode = e < 0.38 ? 'V02' : e < 0.43 ? 'V03' : e < 0.44 ? 'V04' : e < 0.47 ? 'V05' : 'V01';
    const preference: 0 | 1 = rng.chance(0.5) ? 0 : 1;
    // Mother's maiden name is a classic IIS matching field; about a third of records carry it.
    const maidenName = rng.chance(0.35) ? drawSurname(rng.next()) : undefined;
    for (let t = 0; t < (twins ? 2 : 1); t += 1) {
      const id = populationPatientId(seed, index);
      const gender = rng.chance(0.5) ? 'female' : 'male';
      const givenPool = gender === 'female' ? FEMALE_GIVEN : MALE_GIVEN;
      const given = rng.chance(0.4) ? [rng.pick(givenPool), rng.pick(givenPool)] : [rng.pick(givenPool)];
      const mrn = populationMrn(seed, index);
      const stateId = populationStateId(seed, index);
      const patient: Patient = {
        resourceType: 'Patient', id,
        identifier: [
          { use: 'usual', type: MR_TYPE, system: mrn.system, value: mrn.value },
          { use: 'official', type: SR_TYPE, system: stateId.system, value: stateId.value },
        ],
        active: true,
        name: [{ use: 'official', family, given }],
        telecom: [{ system: 'phone', value: phone, use: 'home' }],
        gender, birthDate: fromEpochDay(birthDay), address: [address],
      };
      if (twins) patient.multipleBirthInteger = t + 1;
      if (maidenName) patient.extension = [{ url: MOTHERS_MAIDEN_NAME_URL, valueString: maidenName }];
      yield patient;
      const reference = `Patient/${id}`;
      for (const dose of planDoses(rng, { birthDay, today, adherence, preference })) {
        if (keep < 1 && rng.next() >= keep) continue;
        yield buildImmunization(rng, populationImmunizationId(seed, immunizationCount), reference, dose.product, dose.day, birthDay, eligibility);
        immunizationCount += 1;
      }
      index += 1;
    }
  }
}

function buildImmunization(
  rng: Prng, id: string, patientRef: string, product: VaccineProduct, day: number, birthDay: number, childEligibility: VfcCode,
): Immunization {
  const parts = PARTS.get(product) as ProductParts;
  const date = fromEpochDay(day);
  const ageYears = (day - birthDay) / DAYS_PER_YEAR;
  const eligibility = ageYears < 19 ? childEligibility : 'V01';
  const imm: Immunization = {
    resourceType: 'Immunization', id, status: 'completed',
    vaccineCode: product.ndc && product.ndcSince && date >= product.ndcSince ? parts.codeWithNdc : parts.codeWithoutNdc,
    patient: { reference: patientRef },
    occurrenceDateTime: date, recorded: date, primarySource: true,
    manufacturer: parts.manufacturer,
    lotNumber: `${product.lotPrefix}${(rng.nextUint32() % 90000) + 10000}`,
    route: ROUTES[product.route], doseQuantity: parts.dose,
    programEligibility: [ELIGIBILITY[eligibility]],
    fundingSource: eligibility === 'V01' ? FUNDING.private : FUNDING.public,
  };
  if (product.route !== 'PO') imm.site = ageYears < 3 ? SITES.infant[rng.nextUint32() & 1] : SITES.older[rng.nextUint32() & 1];
  return imm;
}

/**
 * Groups the stream into arrays, for loaders that insert in batches.
 * @param options - as for {@link generatePopulation}.
 * @param batchSize - resources per batch.
 * @returns a generator of batches.
 */
export function* generatePopulationBatches(options: PopulationOptions, batchSize = 1000): Generator<Resource[]> {
  let batch: Resource[] = [];
  for (const resource of generatePopulation(options)) {
    batch.push(resource);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
