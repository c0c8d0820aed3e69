/**
 * The demo population: a fixed cast of patients that exercise the interesting cases (newborn, a fully vaccinated
 * 7-year-old, twins, a hyphenated and an accented name, a child behind schedule, a refusal, historical records,
 * seniors), followed by seeded random patients, most of them children as in a real IIS.
 */
import type { Patient, RelatedPerson } from '@medplum/fhirtypes';
import type { Prng } from './prng.ts';
import type { Adherence } from './schedule.ts';
import type { VfcCode } from './coded-values.ts';
import { DAYS_PER_YEAR } from './dates.ts';
import { DEMO_FEMALE_NAMES, DEMO_MALE_NAMES, DEMO_SURNAMES } from './demo-names.ts';

/** Who a demo patient is, before any resource is built. */
export interface DemoPatientSpec {
  /** Age in days on "today". */
  readonly ageDays: number;
  /** Administrative gender. */
  readonly gender: 'male' | 'female';
  /** Given names (first, then middle). */
  readonly given: readonly string[];
  /** Family name. */
  readonly family: string;
  /** Schedule adherence. */
  readonly adherence: Adherence;
  /** Index into the clinic list. */
  readonly clinic: number;
  /** Household index: twins share it (and their address, phone and mother). */
  readonly household: number;
  /** 1 or 2 for twins. */
  readonly birthOrder?: number;
  /** Doses before this age (years) are historical records from a previous provider. */
  readonly historicalUntilAge?: number;
  /** The parent refused MMR at the 12-month visit. */
  readonly refusal?: boolean;
  /** Guardian relationship code (v3-RoleCode), if a guardian is recorded. */
  readonly guardian?: 'MTH' | 'FTH' | 'GRD';
  /** VFC eligibility while a child. */
  readonly eligibility: VfcCode;
}

const CHILD_CLINICS = [0, 1, 2];
const ADULT_CLINICS = [1, 2, 3];
const FQHC_CLINIC = 2;

function eligibilityFor(rng: Prng, clinic: number): VfcCode {
  const r = rng.next();
  if (clinic === FQHC_CLINIC) {
    return r < 0.55 ? 'V02' : r < 0.65 ? 'V03' : r < 0.75 ? 'V05' : r < 0.77 ? 'V04' : 'V01';
  }
  return r < 0.25 ? 'V02' : r < 0.28 ? 'V03' : r < 0.29 ? 'V04' : 'V01';
}

function givenFor(rng: Prng, gender: 'male' | 'female'): string[] {
  const names = gender === 'female' ? DEMO_FEMALE_NAMES : DEMO_MALE_NAMES;
  const first = rng.pick(names);
  return rng.chance(0.5) ? [first, rng.pick(names)] : [first];
}

const years = (y: number): number => Math.round(y * DAYS_PER_YEAR);

/**
 * Plans `count` demo patients.
 * @param rng - seeded generator.
 * @param count - number of patients.
 * @returns the specs (the fixed cast first).
 */
export function planDemoPatients(rng: Prng, count: number): DemoPatientSpec[] {
  const fixed: DemoPatientSpec[] = [
    { ageDays: 2, gender: 'female', given: ['Nora'], family: 'Testperson', adherence: 'complete', clinic: 0, household: 0, guardian: 'MTH', eligibility: 'V02' },
    { ageDays: years(7) + 40, gender: 'male', given: ['Lucas', 'Henry'], family: 'Sampleton', adherence: 'complete', clinic: 0, household: 1, guardian: 'MTH', eligibility: 'V01' },
    { ageDays: years(4) + 100, gender: 'female', given: ['Ava'], family: 'Demoson', adherence: 'complete', clinic: 1, household: 2, birthOrder: 1, guardian: 'MTH', eligibility: 'V01' },
    { ageDays: years(4) + 100, gender: 'female', given: ['Mia'], family: 'Demoson', adherence: 'complete', clinic: 1, household: 2, birthOrder: 2, guardian: 'MTH', eligibility: 'V01' },
    { ageDays: years(13) + 200, gender: 'male', given: ['Mateo'], family: 'Testperson-Demoson', adherence: 'complete', clinic: 2, household: 3, historicalUntilAge: 6, guardian: 'FTH', eligibility: 'V02' },
    { ageDays: years(16) + 15, gender: 'female', given: ['Zoë', 'Inés'], family: 'Démoñez', adherence: 'complete', clinic: 1, household: 4, guardian: 'MTH', eligibility: 'V01' },
    { ageDays: years(3) + 60, gender: 'male', given: ['Diego'], family: 'Mockford', adherence: 'behind', clinic: 2, household: 5, guardian: 'GRD', eligibility: 'V03' },
    { ageDays: years(5) + 10, gender: 'female', given: ['Hazel'], family: 'Fakeley', adherence: 'minimal', clinic: 0, household: 6, refusal: true, guardian: 'FTH', eligibility: 'V01' },
    { ageDays: years(67) + 90, gender: 'female', given: ['Dolores'], family: 'Placeholder', adherence: 'complete', clinic: 3, household: 7, eligibility: 'V01' },
    { ageDays: years(34) + 5, gender: 'male', given: ['Kwame'], family: 'Exampleton', adherence: 'complete', clinic: 1, household: 8, historicalUntilAge: 30, eligibility: 'V01' },
    { ageDays: years(83) + 250, gender: 'male', given: ['Harold', 'Walter'], family: 'Dummyworth', adherence: 'complete', clinic: 3, household: 9, eligibility: 'V01' },
    { ageDays: 280, gender: 'male', given: ['Theo'], family: 'Trialson', adherence: 'complete', clinic: 2, household: 10, guardian: 'MTH', eligibility: 'V02' },
  ];
  const specs = fixed.slice(0, count);
  for (let i = specs.length; i < count; i += 1) {
    const child = rng.chance(0.65);
    const ageDays = child ? rng.int(0, years(18)) : rng.int(years(19), years(90));
    const gender = rng.chance(0.5) ? 'female' : 'male';
    const clinic = rng.pick(child ? CHILD_CLINICS : ADULT_CLINICS);
    const r = rng.next();
    const adherence: Adherence = !child || r < 0.8 ? 'complete' : r < 0.95 ? 'behind' : 'minimal';
    const g = rng.next();
    specs.push({
      ageDays, gender, given: givenFor(rng, gender), family: rng.pick(DEMO_SURNAMES), adherence, clinic, household: i,
      eligibility: eligibilityFor(rng, clinic),
      ...(rng.chance(0.08) ? { historicalUntilAge: Math.min(ageDays / DAYS_PER_YEAR, rng.int(1, 12)) } : {}),
      ...(child && g < 0.85 ? { guardian: g < 0.6 ? 'MTH' as const : 'FTH' as const } : {}),
    });
  }
  return specs;
}

/** Mother's maiden name extension (http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName). */
export const MOTHERS_MAIDEN_NAME_URL = 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName';

/** The guardian relationship concepts (v3-RoleCode). */
export const GUARDIAN_RELATIONSHIP: Record<'MTH' | 'FTH' | 'GRD', RelatedPerson['relationship']> = {
  MTH: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH', display: 'mother' }] }],
  FTH: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'FTH', display: 'father' }] }],
  GRD: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'GRD', display: 'guardian' }] }],
};

/**
 * Builds the guardian of a minor as a RelatedPerson.
 * @param rng - seeded generator.
 * @param spec - the patient.
 * @param patientUrl - full URL of the patient entry.
 * @param patient - the patient (address and phone are shared).
 * @returns the RelatedPerson.
 */
export function buildGuardian(rng: Prng, spec: DemoPatientSpec, patientUrl: string, patient: Patient): RelatedPerson {
  const code = spec.guardian ?? 'GRD';
  const gender = code === 'MTH' ? 'female' : code === 'FTH' ? 'male' : rng.chance(0.5) ? 'female' : 'male';
  const family = code === 'GRD' ? rng.pick(DEMO_SURNAMES) : spec.family.split('-')[0] ?? spec.family;
  return {
    resourceType: 'RelatedPerson', active: true,
    patient: { reference: patientUrl },
    relationship: GUARDIAN_RELATIONSHIP[code],
    name: [{ use: 'official', family, given: [rng.pick(gender === 'female' ? DEMO_FEMALE_NAMES : DEMO_MALE_NAMES)] }],
    telecom: patient.telecom, gender, address: patient.address,
  };
}
