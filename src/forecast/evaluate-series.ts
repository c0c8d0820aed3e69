/**
 * Evaluates the antigen doses of a patient against one series (LS Ch 6, Table 6-1): walks target
 * doses and doses together, applying sub-standard checks, conditional skip, inadvertent vaccine,
 * age, intervals, vaccine conflicts and preferable/allowable vaccine rules.
 */
import { calcDate, lotExpirationDate, toDayNumber } from './calc-date.ts';
import { findConditionalSkip } from './conditional-skip.ts';
import { ageDate, applyOverride, intervalReference, selectAge, selectIntervals } from './dose-rules.ts';
import type { AntigenData, IntervalRule, Series, SeriesDose, VaccineRule } from './supporting-data-types.ts';
import { targetDoseAt, type AntigenDose, type PatientContext, type PatientSeries, type SeriesDoseEvaluation } from './types.ts';
import { hasVaccineConflict } from './vaccine-conflict.ts';

function daysBetween(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}

/**
 * Is a vaccine row a match for a dose (vaccine type, age window, trade name/MVX when both known)?
 * @param rule - the preferable or allowable vaccine.
 * @param dose - the antigen dose.
 * @param patient - the patient.
 * @returns true when the dose matches the row.
 */
export function vaccineMatches(rule: VaccineRule, dose: AntigenDose, patient: PatientContext): boolean {
  if (rule.cvx !== dose.cvx) return false;
  const begin = ageDate(patient, rule.beginAge);
  const end = ageDate(patient, rule.endAge);
  if (begin && dose.date < begin) return false;
  if (end && dose.date >= end) return false;
  if (rule.mvx && dose.mvx && rule.mvx.toUpperCase() !== dose.mvx.toUpperCase()) return false;
  return true;
}

const NO_INTERVAL = Object.freeze({ ok: true });

/** Checks a set of intervals against the date administered; returns the failure text when too soon. */
function checkIntervals(rules: IntervalRule[], ps: PatientSeries, patient: PatientContext, dose: AntigenDose, useMin: boolean): { ok: boolean; text?: string; grace?: string } {
  if (rules.length === 0) return NO_INTERVAL;
  const withRefs = applyOverride(selectIntervals(rules, dose.date).map((rule) => ({ rule, ref: intervalReference(rule, ps, patient, dose.date) })));
  let grace: string | undefined;
  for (const { rule, ref } of withRefs) {
    if (!ref) continue;
    const absMin = calcDate(ref, rule.absMinInt ?? '0 days') ?? ref;
    if (dose.date < absMin) {
      return { ok: false, text: `given ${daysBetween(dose.date, absMin)} days before the minimum interval of ${rule.minInt ?? rule.absMinInt ?? ''} from the dose of ${ref}` };
    }
    const min = useMin ? calcDate(ref, rule.minInt) : undefined;
    if (min && dose.date < min) grace = `given within the grace period of the minimum interval of ${rule.minInt ?? ''}`;
  }
  return { ok: true, grace };
}

function evaluateAgainst(target: SeriesDose, dose: AntigenDose, ps: PatientSeries, patient: PatientContext): SeriesDoseEvaluation {
  const targetDoseNumber = ps.nextTarget + 1;
  if (target.inadvertentVaccines.some((v) => v.cvx === dose.cvx)) {
    return { dose, targetDoseNumber, status: 'Not Valid', reasons: ['inadvertent', 'Inadvertent Vaccine: this vaccine type is not appropriate for this dose'], inadvertent: true };
  }
  const reasons: string[] = [];
  const age = selectAge(target, dose.date);
  const absMin = ageDate(patient, age.absMinAge ?? age.minAge);
  const min = ageDate(patient, age.minAge);
  const max = ageDate(patient, age.maxAge);
  let tooYoung = false;
  let tooOld = false;
  if (absMin && dose.date < absMin) {
    tooYoung = true;
    reasons.push('too young', `given ${daysBetween(dose.date, min ?? absMin)} days before the minimum age of ${age.minAge ?? age.absMinAge ?? ''}`);
  } else if (max && dose.date >= max) {
    tooOld = true;
    reasons.push('too old', `given on or after the maximum age of ${age.maxAge ?? ''}`);
  } else if (min && dose.date < min) {
    reasons.push('grace period', `given ${daysBetween(dose.date, min)} days before the minimum age of ${age.minAge ?? ''}, within the grace period`);
  }
  const preferable = checkIntervals(target.intervals, ps, patient, dose, true);
  let intervalOk = preferable.ok;
  if (!preferable.ok && target.allowableIntervals.length > 0) {
    intervalOk = checkIntervals(target.allowableIntervals, ps, patient, dose, false).ok;
  }
  if (!intervalOk) reasons.push('too soon', preferable.text ?? 'given before the minimum interval');
  else if (preferable.grace) reasons.push('grace period', preferable.grace);
  const conflict = hasVaccineConflict(dose.doseId, patient);
  if (conflict) reasons.push('live virus conflict', 'given within the conflict window of an earlier live virus vaccine');
  const vaccineOk = target.preferableVaccines.some((v) => vaccineMatches(v, dose, patient))
    || target.allowableVaccines.some((v) => vaccineMatches(v, dose, patient));
  if (!vaccineOk) reasons.push('not preferable or allowable', 'not a preferable or allowable vaccine for this dose at this age');
  // Plain object literals (no spread): this runs for every dose against every series.
  const status = tooOld ? 'Extraneous' : tooYoung || !intervalOk || conflict || !vaccineOk ? 'Not Valid' : 'Valid';
  return { dose, targetDoseNumber, status, reasons, inadvertent: false };
}

/**
 * Evaluates a patient's antigen doses against one series (LS Ch 6).
 * @param series - the series.
 * @param antigen - the antigen data.
 * @param doses - the patient's doses for the antigen, sorted by date.
 * @param patient - the patient.
 * @returns the patient series with evaluations and target dose statuses (forecast not yet computed).
 */
export function evaluateSeries(series: Series, antigen: AntigenData, doses: AntigenDose[], patient: PatientContext): PatientSeries {
  const ps: PatientSeries = {
    series, antigen, targetStatus: [], satisfiedDates: [], evaluations: [], nextTarget: 0, satisfiedCount: 0,
    forecast: { status: 'Not Complete', recommendedVaccines: [], reason: '' },
  };
  for (const dose of doses) {
    // LS §6.1 / CALCDTLOTEXP-1: a dose that cannot be evaluated is Sub-standard.
    if (dose.subStandard || (dose.lotExpiration && dose.date > lotExpirationDate(dose.lotExpiration))) {
      const reasons = dose.subStandard ? ['sub-standard', 'dose recorded as sub-standard'] : ['expired', 'given after the lot expiration date'];
      ps.evaluations.push({ dose, status: 'Sub-standard', reasons, targetDoseNumber: ps.nextTarget + 1, inadvertent: false });
      continue;
    }
    let target = targetDoseAt(series, ps.nextTarget);
    while (target) {
      const skip = findConditionalSkip(target, 'evaluation', {
        patient, antigen: antigen.name, referenceDate: dose.date, evaluated: ps.evaluations, antigenDoses: doses, current: dose,
      });
      if (!skip) break;
      ps.targetStatus[ps.nextTarget] = 'Skipped';
      ps.nextTarget += 1;
      target = targetDoseAt(series, ps.nextTarget);
    }
    if (!target) {
      ps.evaluations.push({ dose, status: 'Extraneous', reasons: ['series complete', 'Series Already Complete'], inadvertent: false });
      continue;
    }
    const evaluation = evaluateAgainst(target, dose, ps, patient);
    ps.evaluations.push(evaluation);
    if (evaluation.status === 'Valid') {
      ps.targetStatus[ps.nextTarget] = 'Satisfied';
      ps.satisfiedDates[ps.nextTarget] = dose.date;
      ps.satisfiedCount += 1;
      // A recurring target dose (e.g. annual influenza, Td boosters) stays the target until skipped.
      if (!target.recurring) ps.nextTarget += 1;
    }
  }
  return ps;
}
