/** Turns planned doses into Immunization resources for the demo data set. */
import type { Immunization } from '@medplum/fhirtypes';
import type { Prng } from './prng.ts';
import type { PlannedDose } from './schedule.ts';
import { DAYS_PER_YEAR, fromEpochDay } from './dates.ts';
import {
  ELIGIBILITY, FUNCTION_AP, FUNDING, MVX_SYSTEM, ORIGIN_RECORD, REASON_PATOBJ, ROUTES, SITES, vaccineCodeOf, type VfcCode,
} from './coded-values.ts';

/** What an Immunization needs to know about its patient and the clinic that gave the dose. */
export interface DoseContext {
  /** Full URL of the patient entry. */
  readonly patientUrl: string;
  /** Epoch day of birth. */
  readonly birthDay: number;
  /** Epoch day of "today". */
  readonly today: number;
  /** VFC eligibility while a child (adults are always V01). */
  readonly childEligibility: VfcCode;
  /** Full URL of the clinic Location. */
  readonly locationUrl: string;
  /** Full URLs of the clinic's practitioners (administering providers). */
  readonly practitionerUrls: readonly string[];
  /** Doses before this day were given elsewhere and reported from a written record. */
  readonly historicalBefore: number;
}

const LOT_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/**
 * Builds one administered (or historical) Immunization.
 * @param rng - seeded generator.
 * @param dose - the planned dose.
 * @param ctx - patient and clinic context.
 * @returns the resource.
 */
export function buildDemoImmunization(rng: Prng, dose: PlannedDose, ctx: DoseContext): Immunization {
  const date = fromEpochDay(dose.day);
  const product = dose.product;
  const recordedDay = Math.min(ctx.today, dose.day + rng.int(0, 3));
  const base: Immunization = {
    resourceType: 'Immunization',
    status: 'completed',
    vaccineCode: vaccineCodeOf(product, date),
    patient: { reference: ctx.patientUrl },
    occurrenceDateTime: date,
    recorded: fromEpochDay(recordedDay),
  };
  if (dose.day < ctx.historicalBefore) {
    // A dose transcribed from a paper record: who gave it and the lot are unknown.
    return { ...base, primarySource: false, reportOrigin: ORIGIN_RECORD, recorded: fromEpochDay(ctx.historicalBefore) };
  }
  const ageYears = (dose.day - ctx.birthDay) / DAYS_PER_YEAR;
  const eligibility: VfcCode = ageYears < 19 ? ctx.childEligibility : 'V01';
  const lot = `${product.lotPrefix}${rng.int(1000, 9999)}${LOT_LETTERS[rng.int(0, LOT_LETTERS.length - 1)] ?? 'A'}`;
  const immunization: Immunization = {
    ...base,
    primarySource: true,
    manufacturer: { identifier: { system: MVX_SYSTEM, value: product.mvx }, display: product.manufacturer },
    lotNumber: lot,
    expirationDate: fromEpochDay(dose.day + rng.int(60, 540)),
    route: ROUTES[product.route],
    doseQuantity: { value: product.doseMl, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' },
    performer: [{ function: FUNCTION_AP, actor: { reference: rng.pick(ctx.practitionerUrls) } }],
    location: { reference: ctx.locationUrl },
    programEligibility: [ELIGIBILITY[eligibility]],
    fundingSource: eligibility === 'V01' ? FUNDING.private : FUNDING.public,
  };
  if (product.route !== 'PO') {
    immunization.site = rng.pick(ageYears < 3 ? SITES.infant : SITES.older);
  }
  if (product.vis && date >= product.vis.edition) {
    immunization.education = [{ documentType: product.vis.gdti, publicationDate: product.vis.edition, presentationDate: date }];
  }
  return immunization;
}

/**
 * Builds a refusal: the parent objected, nothing was given (status not-done, reason PATOBJ).
 * @param dose - the dose that was offered.
 * @param ctx - patient and clinic context.
 * @returns the resource.
 */
export function buildDemoRefusal(dose: PlannedDose, ctx: DoseContext): Immunization {
  const date = fromEpochDay(dose.day);
  return {
    resourceType: 'Immunization',
    status: 'not-done',
    statusReason: REASON_PATOBJ,
    vaccineCode: vaccineCodeOf(dose.product, date),
    patient: { reference: ctx.patientUrl },
    occurrenceDateTime: date,
    recorded: date,
    primarySource: true,
    location: { reference: ctx.locationUrl },
  };
}
