/**
 * Forecasts the next dose of one evaluated patient series (LS Ch 7, Table 7-1): forecast-context
 * conditional skip, evidence of immunity, contraindications, need, dates and recommended vaccines.
 */
import { calcDate, dayBefore, maxDate } from './calc-date.ts';
import { findConditionalSkip } from './conditional-skip.ts';
import { ageDate, applyOverride, intervalReference, selectAge, selectIntervals } from './dose-rules.ts';
import type { SeriesDose } from './supporting-data-types.ts';
import { targetDoseAt, type PatientContext, type PatientSeries, type SeriesForecast } from './types.ts';
import { forecastConflictEnds } from './vaccine-conflict.ts';

/**
 * Evidence of immunity (LS §7.2): a clinical-history observation, or birth before the immunity
 * birth date without an exclusion observation.
 * @param ps - the patient series.
 * @param patient - the patient.
 * @returns a reason text when immune.
 */
export function findImmunity(ps: PatientSeries, patient: PatientContext): string | undefined {
  const a = ps.antigen;
  const code = a.immunityCodes.find((c) => patient.observationCodes.has(c));
  if (code) return `evidence of immunity to ${a.name} (observation ${code})`;
  if (a.immunityBirthDate && patient.birthDate < a.immunityBirthDate && !a.immunityExclusionCodes.some((c) => patient.observationCodes.has(c))) {
    return `born before ${a.immunityBirthDate}: presumed immune to ${a.name}`;
  }
  return undefined;
}

/**
 * Antigen-level contraindication active on the assessment date (LS §7.3).
 * @param ps - the patient series.
 * @param patient - the patient.
 * @returns the contraindication text or undefined.
 */
export function findContraindication(ps: PatientSeries, patient: PatientContext): string | undefined {
  for (const c of ps.antigen.antigenContraindications) {
    if (!patient.observationCodes.has(c.observationCode)) continue;
    const begin = ageDate(patient, c.beginAge);
    const end = ageDate(patient, c.endAge);
    if ((!begin || patient.assessmentDate >= begin) && (!end || patient.assessmentDate < end)) return c.text;
  }
  return undefined;
}

function contraindicatedVaccines(ps: PatientSeries, patient: PatientContext): Set<string> {
  const out = new Set<string>();
  for (const c of ps.antigen.vaccineContraindications) {
    if (!patient.observationCodes.has(c.observationCode)) continue;
    for (const v of c.vaccines) {
      const begin = ageDate(patient, v.beginAge);
      const end = ageDate(patient, v.endAge);
      if ((!begin || patient.assessmentDate >= begin) && (!end || patient.assessmentDate < end)) out.add(v.cvx);
    }
  }
  return out;
}

/**
 * Forecast finish date (SELECTB-12): earliest + the largest minimum interval of each remaining dose.
 * Computed on demand because only series scoring needs it.
 * @param ps - a forecast patient series.
 * @param earliest - the earliest date of the next dose.
 * @returns the finish date.
 */
export function finishDate(ps: PatientSeries, earliest: string): string {
  let date = earliest;
  for (let i = ps.nextTarget + 1; i < ps.series.doses.length; i += 1) {
    const dose = ps.series.doses[i];
    if (!dose) continue;
    let next = date;
    for (const rule of selectIntervals(dose.intervals, date)) {
      if (rule.fromPrevious) next = maxDate(next, calcDate(date, rule.minInt ?? rule.absMinInt)) ?? next;
    }
    date = next;
  }
  return date;
}

const preferableMemo = new WeakMap<SeriesDose, Set<string>>();

/** The preferable vaccine types (CVX) of a target dose, memoised per supporting-data dose. */
function preferableCvx(target: SeriesDose): Set<string> {
  let set = preferableMemo.get(target);
  if (!set) {
    set = new Set(target.preferableVaccines.map((v) => v.cvx));
    preferableMemo.set(target, set);
  }
  return set;
}

/** Forecast dates of one target dose (LS §7.5), plus whether any date bounds its candidate earliest date. */
interface TargetDates {
  earliest: string;
  recommended: string;
  pastDue?: string;
  latest?: string;
  maxAgeDate?: string;
  /**
   * False when none of the FORECASTDTCAN-1 dates exists (no minimum age, no interval reference, no conflict,
   * no season, no dose in the series): the candidate earliest date then takes its assumed value 12/31/2999.
   */
  bounded: boolean;
}

function computeDates(target: SeriesDose, ps: PatientSeries, patient: PatientContext): TargetDates {
  const assessment = patient.assessmentDate;
  const age = selectAge(target, assessment);
  const ageBound = ageDate(patient, age.minAge ?? age.absMinAge);
  const minAgeDate = ageBound ?? patient.birthDate;
  const intervals = applyOverride(selectIntervals(target.intervals, assessment)
    .map((rule) => ({ rule, ref: intervalReference(rule, ps, patient, '9999-12-31') })));
  const minIntDates: (string | undefined)[] = [];
  const recIntDates: (string | undefined)[] = [];
  const pastIntDates: (string | undefined)[] = [];
  for (const { rule, ref } of intervals) {
    if (!ref) continue;
    minIntDates.push(calcDate(ref, rule.minInt ?? rule.absMinInt));
    recIntDates.push(calcDate(ref, rule.earliestRecInt));
    pastIntDates.push(calcDate(ref, rule.latestRecInt));
  }
  // Latest conflict end date over the vaccine types this target dose prefers (ends precomputed per patient).
  let conflictEnd: string | undefined;
  const ends = forecastConflictEnds(patient);
  if (ends.size > 0) for (const cvx of preferableCvx(target)) for (const end of ends.get(cvx) ?? []) conflictEnd = maxDate(conflictEnd, end);
  // FORECASTDTCAN-1: the next dose never precedes a dose already evaluated in the series
  // (this is what makes an inadvertent dose push the forecast).
  const lastEvaluated = maxDate(...ps.evaluations.map((e) => e.dose.date));
  // FORECASTDT-1: earliest is the latest of every lower bound.
  const bound = maxDate(ageBound, ...minIntDates, conflictEnd, target.seasonStart, lastEvaluated);
  const earliest = maxDate(minAgeDate, bound) ?? minAgeDate;
  const recAge = ageDate(patient, age.earliestRecAge);
  const recInt = maxDate(...recIntDates);
  // FORECASTDT-2 / FORECASTDT-5
  const recommended = maxDate(recAge ?? recInt ?? earliest, earliest) ?? earliest;
  const latestRecAge = ageDate(patient, age.latestRecAge);
  const latestRecInt = maxDate(...pastIntDates);
  // FORECASTDT-3 / FORECASTDT-6: the day before the latest recommended age (or interval).
  const pastDueRaw = latestRecAge ? dayBefore(latestRecAge) : latestRecInt ? dayBefore(latestRecInt) : undefined;
  const pastDue = pastDueRaw ? maxDate(pastDueRaw, earliest) : undefined;
  const maxAgeDate = ageDate(patient, age.maxAge);
  // FORECASTDT-4
  const latest = maxAgeDate ? dayBefore(maxAgeDate) : undefined;
  return { earliest, recommended, pastDue, latest, maxAgeDate, bounded: bound !== undefined };
}

/**
 * Forecasts a patient series after evaluation (LS Ch 7).
 * @param ps - the evaluated patient series; its `forecast` is replaced.
 * @param patient - the patient.
 * @returns the series forecast.
 */
export function forecastSeries(ps: PatientSeries, patient: PatientContext): SeriesForecast {
  let target = targetDoseAt(ps.series, ps.nextTarget);
  while (target) {
    const skip = findConditionalSkip(target, 'forecast', {
      patient, antigen: ps.antigen.name, referenceDate: patient.assessmentDate, evaluated: ps.evaluations, antigenDoses: [],
    });
    if (!skip) break;
    ps.targetStatus[ps.nextTarget] = 'Skipped';
    ps.nextTarget += 1;
    target = targetDoseAt(ps.series, ps.nextTarget);
  }
  const satisfied = ps.satisfiedCount;
  const immunity = findImmunity(ps, patient);
  if (immunity) return { status: 'Immune', recommendedVaccines: [], reason: immunity };
  const contraindication = findContraindication(ps, patient);
  if (contraindication) return { status: 'Contraindicated', recommendedVaccines: [], reason: contraindication };
  if (!target) {
    return satisfied > 0
      ? { status: 'Complete', recommendedVaccines: [], reason: `${ps.series.name} is complete` }
      : { status: 'Not Recommended', recommendedVaccines: [], reason: 'no remaining dose is recommended for this patient' };
  }
  let dates = computeDates(target, ps, patient);
  // LS §7.6 / CONDSKIP-2: re-run the forecast conditional skip with the earliest date as reference.
  for (;;) {
    const skip = findConditionalSkip(target, 'forecast', {
      patient, antigen: ps.antigen.name, referenceDate: dates.earliest, evaluated: ps.evaluations, antigenDoses: [],
    });
    if (!skip || dates.earliest <= patient.assessmentDate) break;
    ps.targetStatus[ps.nextTarget] = 'Skipped';
    ps.nextTarget += 1;
    const next = targetDoseAt(ps.series, ps.nextTarget);
    if (!next) {
      return { status: 'Complete', recommendedVaccines: [], reason: `${ps.series.name} is complete` };
    }
    target = next;
    dates = computeDates(target, ps, patient);
  }
  // LS §7.4, Tables 7-9/7-10 (also for a target dose re-forecast by §7.6): with no date to compute it from, the
  // candidate earliest date takes its assumed value 12/31/2999, which is not before the maximum age date (assumed
  // 12/31/2999 too), so the patient cannot finish the series: a catch-up dose defined only by intervals from
  // doses the patient never had (MenACWY risk 2-23 month dose 4 for a patient past 7 months with no dose).
  if (!dates.bounded) {
    return { status: 'Aged Out', recommendedVaccines: [], reason: `patient is unable to finish ${ps.series.name} prior to the maximum age` };
  }
  // FORECASTDN-1: satisfied target doses + 1; for a seasonal target dose only this season's doses count.
  const season = target.seasonStart;
  const doseNumber = season
    ? ps.evaluations.filter((e) => e.status === 'Valid' && e.dose.date >= season).length + 1
    : satisfied + 1;
  if (target.seasonEnd && patient.assessmentDate > target.seasonEnd) {
    return { status: 'Not Recommended', recommendedVaccines: [], reason: 'past the end of the season', forecastDoseNumber: doseNumber };
  }
  if (dates.maxAgeDate && (patient.assessmentDate >= dates.maxAgeDate || dates.earliest >= dates.maxAgeDate)) {
    return { status: 'Aged Out', recommendedVaccines: [], reason: `past the maximum age for dose ${doseNumber} of ${ps.series.name}`, maxAgeDate: dates.maxAgeDate };
  }
  const blocked = contraindicatedVaccines(ps, patient);
  const recommendedVaccines = target.preferableVaccines.filter((v) => {
    if (!v.forecastVaccineType || blocked.has(v.cvx)) return false;
    const begin = ageDate(patient, v.beginAge);
    const end = ageDate(patient, v.endAge);
    const on = maxDate(dates.earliest, patient.assessmentDate) ?? dates.earliest;
    return (!begin || on >= begin) && (!end || on < end);
  }).map((v) => v.cvx);
  return {
    status: 'Not Complete', forecastDoseNumber: doseNumber, earliest: dates.earliest, recommended: dates.recommended,
    pastDue: dates.pastDue, latest: dates.latest, recommendedVaccines,
    reason: `dose ${doseNumber} of ${ps.series.name} is due`, maxAgeDate: dates.maxAgeDate,
  };
}
