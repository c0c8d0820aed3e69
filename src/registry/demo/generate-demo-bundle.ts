/**
 * The demo data set loaded on first start: a FHIR R4 transaction Bundle
 * (https://hl7.org/fhir/R4/http.html#transaction) whose entries POST new resources and reference each other through
 * their `urn:uuid:` full URLs, so the server assigns ids and rewrites the references. Pure and deterministic.
 */
import type { Address, Bundle, BundleEntry, Extension, Patient, Resource } from '@medplum/fhirtypes';
import { Prng } from './prng.ts';
import { fromEpochDay, toEpochDay, todayIso, DAYS_PER_YEAR } from './dates.ts';
import { CT_TOWNS, STREET_NAMES, fictionalPhone } from './ct-places.ts';
import { MRN_SYSTEM_PREFIX, MR_TYPE, SR_TYPE, STATE_REGISTRY_SYSTEM } from './identifiers.ts';
import { buildProviders, type DemoEntry } from './providers.ts';
import { buildGuardian, planDemoPatients, MOTHERS_MAIDEN_NAME_URL, type DemoPatientSpec } from './demo-patients.ts';
import { chooseProduct, planDoses } from './schedule.ts';
import { buildDemoImmunization, buildDemoRefusal, type DoseContext } from './demo-immunizations.ts';
import { DEMO_SURNAMES } from './demo-names.ts';

/** Options of {@link generateDemoBundle}. */
export interface DemoBundleOptions {
  /** PRNG seed; equal seeds (and equal `today`) give identical bundles. Default 20240601. */
  seed?: number;
  /** Number of patients, default 50. */
  patientCount?: number;
  /** The day the data is generated for, `YYYY-MM-DD` (default: today, UTC). No date is ever after it. */
  today?: string;
}

/** Default seed of the demo data set. */
export const DEFAULT_DEMO_SEED = 20240601;

interface Household {
  address: Address;
  phone: string;
  maidenName: string;
  guardianResources: Map<string, Resource>;
}

function newHousehold(rng: Prng, clinicAddress: Address): Household {
  // Most families live in or near their clinic's town; some elsewhere in the state.
  const town = rng.chance(0.6) ? undefined : rng.pick(CT_TOWNS);
  return {
    address: {
      use: 'home', type: 'both', line: [`${rng.int(1, 999)} ${rng.pick(STREET_NAMES)}`],
      city: town?.city ?? clinicAddress.city, state: 'CT', postalCode: town?.zip ?? clinicAddress.postalCode, country: 'US',
    },
    phone: fictionalPhone(town?.areaCode ?? '860', rng.int(0, 99)),
    maidenName: rng.pick(DEMO_SURNAMES),
    guardianResources: new Map(),
  };
}

/**
 * Generates the demo data set.
 * @param options - seed, patient count and the reference day.
 * @returns a transaction Bundle of Organizations, Locations, Practitioners, PractitionerRoles, Patients,
 * RelatedPersons and Immunizations.
 */
export function generateDemoBundle(options: DemoBundleOptions = {}): Bundle {
  const rng = new Prng(options.seed ?? DEFAULT_DEMO_SEED);
  const todayStr = options.today ?? todayIso();
  const today = toEpochDay(todayStr);
  const providers = buildProviders(rng);
  const entries: DemoEntry[] = [...providers.entries];
  const households = new Map<number, Household>();
  const specs = planDemoPatients(rng, options.patientCount ?? 50);
  specs.forEach((spec, index) => {
    const clinic = providers.clinics[spec.clinic] ?? providers.clinics[0];
    if (!clinic) {
      throw new Error('no clinic');
    }
    let household = households.get(spec.household);
    if (!household) {
      household = newHousehold(rng, clinic.address);
      households.set(spec.household, household);
    }
    const birthDay = today - spec.ageDays;
    const patientUrl = `urn:uuid:${rng.uuid()}`;
    const patient = buildPatient(spec, index, birthDay, household, clinic.slug, clinic.orgUrl, clinic.practitionerUrls[0] ?? clinic.orgUrl);
    entries.push({ fullUrl: patientUrl, resource: patient });
    if (spec.guardian && spec.ageDays < 18 * DAYS_PER_YEAR) {
      const guardian = buildGuardian(rng, spec, patientUrl, patient);
      // Twins share one mother: same person, one RelatedPerson per child (RelatedPerson.patient is single).
      const shared = household.guardianResources.get(spec.guardian);
      if (shared && shared.resourceType === 'RelatedPerson') {
        guardian.name = shared.name;
      } else {
        household.guardianResources.set(spec.guardian, guardian);
      }
      entries.push({ fullUrl: `urn:uuid:${rng.uuid()}`, resource: guardian });
    }
    const ctx: DoseContext = {
      patientUrl, birthDay, today, childEligibility: spec.eligibility, locationUrl: clinic.locationUrl,
      practitionerUrls: clinic.practitionerUrls,
      historicalBefore: spec.historicalUntilAge === undefined ? -Infinity : birthDay + Math.round(spec.historicalUntilAge * DAYS_PER_YEAR),
    };
    const doses = planDoses(rng, { birthDay, today, adherence: spec.adherence, preference: clinic.preference });
    for (const dose of doses) {
      entries.push({ fullUrl: `urn:uuid:${rng.uuid()}`, resource: buildDemoImmunization(rng, dose, ctx) });
    }
    if (spec.refusal) {
      const day = Math.min(today, birthDay + 365 + rng.int(0, 30));
      const refusal = { series: 'mmr' as const, day, product: chooseProduct('mmr', day, 1, clinic.preference) };
      entries.push({ fullUrl: `urn:uuid:${rng.uuid()}`, resource: buildDemoRefusal(refusal, ctx) });
    }
  });
  // Coded values are shared constants while building; clone so that a consumer editing one entry edits only it.
  return structuredClone<Bundle>({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries.map((e): BundleEntry => ({ fullUrl: e.fullUrl, resource: e.resource, request: { method: 'POST', url: e.resource.resourceType } })),
  });
}

function buildPatient(
  spec: DemoPatientSpec, index: number, birthDay: number, household: Household, clinicSlug: string, orgUrl: string, gpUrl: string,
): Patient {
  const extension: Extension[] = [];
  if (spec.guardian === 'MTH' || spec.household % 3 === 0) {
    extension.push({ url: MOTHERS_MAIDEN_NAME_URL, valueString: household.maidenName });
  }
  const mrnPrefix = clinicSlug.split('-').map((w) => w[0]?.toUpperCase() ?? '').join('');
  return {
    resourceType: 'Patient',
    ...(extension.length ? { extension } : {}),
    identifier: [
      { use: 'usual', type: MR_TYPE, system: `${MRN_SYSTEM_PREFIX}${clinicSlug}`, value: `${mrnPrefix}${String(100200 + index * 7)}`, assigner: { reference: orgUrl } },
      { use: 'official', type: SR_TYPE, system: STATE_REGISTRY_SYSTEM, value: `CT${String(40000000 + index * 137).padStart(8, '0')}` },
    ],
    active: true,
    name: [{ use: 'official', family: spec.family, given: [...spec.given] }],
    telecom: [{ system: 'phone', value: household.phone, use: 'home' }],
    gender: spec.gender,
    birthDate: fromEpochDay(birthDay),
    address: [household.address],
    ...(spec.birthOrder !== undefined ? { multipleBirthInteger: spec.birthOrder } : {}),
    generalPractitioner: [{ reference: gpUrl }],
    managingOrganization: { reference: orgUrl },
  };
}
