/**
 * Rule helpers shared by dose evaluation and forecasting: choosing the age and interval rows that
 * apply to a date (LS §3.3 effective/cessation dates) and resolving interval reference dates (LS §6.5).
 */
import { calcDate } from './calc-date.ts';
import type { AgeRule, IntervalRule, SeriesDose } from './supporting-data-types.ts';
import type { PatientContext, PatientSeries, SeriesDoseEvaluation } from './types.ts';

function applies(rule: { effectiveDate?: string; cessationDate?: string }, date: string): boolean {
  if (rule.effectiveDate && date < rule.effectiveDate) return false;
  if (rule.cessationDate && date > rule.cessationDate) return false;
  return true;
}

/**
 * Selects the age row of a target dose that applies on a date.
 * @param dose - the target dose.
 * @param date - the date administered or assessment date.
 * @returns the age row, or an empty row.
 */
export function selectAge(dose: SeriesDose, date: string): AgeRule {
  return dose.ages.find((a) => applies(a, date)) ?? dose.ages[0] ?? {};
}

/**
 * Selects the interval rows that apply on a date.
 * @param rules - preferable or allowable intervals.
 * @param date - the date administered or assessment date.
 * @returns the applicable rows.
 */
export function selectIntervals(rules: IntervalRule[], date: string): IntervalRule[] {
  return rules.filter((r) => applies(r, date) && (r.absMinInt || r.minInt || r.earliestRecInt || r.latestRecInt));
}

/**
 * The previous dose for interval purposes: the most recent evaluated dose that is Valid or Not
 * Valid and not an inadvertent administration (LS §6.5).
 * @param evaluated - evaluations so far in this series.
 * @returns the previous evaluation or undefined.
 */
export function previousDose(evaluated: SeriesDoseEvaluation[]): SeriesDoseEvaluation | undefined {
  for (let i = evaluated.length - 1; i >= 0; i -= 1) {
    const e = evaluated[i];
    if (e && !e.inadvertent && (e.status === 'Valid' || e.status === 'Not Valid')) return e;
  }
  return undefined;
}

/**
 * Resolves the reference date of an interval (from previous, from target dose N, from most recent
 * of listed vaccine types, from a relevant observation).
 * @param rule - the interval.
 * @param ps - the patient series being walked.
 * @param patient - the patient.
 * @param beforeDate - only doses strictly before this date count (the current dose date; the assessment date + 1 when forecasting).
 * @returns the reference date, or undefined when the interval does not apply.
 */
export function intervalReference(rule: IntervalRule, ps: PatientSeries, patient: PatientContext, beforeDate: string): string | undefined {
  if (rule.fromPrevious) return previousDose(ps.evaluations)?.dose.date;
  if (rule.fromTargetDose !== undefined) return ps.satisfiedDates[rule.fromTargetDose - 1];
  if (rule.fromMostRecent.length > 0) {
    let best: string | undefined;
    for (const d of patient.doses) {
      if (d.date < beforeDate && rule.fromMostRecent.includes(d.cvx) && (!best || d.date > best)) best = d.date;
    }
    return best;
  }
  if (rule.fromRelevantObs) return patient.observationDates.get(rule.fromRelevantObs);
  return undefined;
}

/**
 * Keeps only the override intervals when one of them has a reference date (intervalPriority).
 * @param rules - applicable intervals with their reference dates.
 * @returns the intervals to check.
 */
export function applyOverride<T extends { rule: IntervalRule; ref: string | undefined }>(rules: T[]): T[] {
  const overriding = rules.filter((r) => r.rule.override && r.ref !== undefined);
  return overriding.length > 0 ? overriding : rules;
}

/**
 * Computes `birthDate + age` with the defaults of LS Table 6-15 left to the caller.
 * @param patient - the patient.
 * @param age - an age duration text.
 * @returns the date or undefined.
 */
export function ageDate(patient: PatientContext, age: string | undefined): string | undefined {
  if (!age) return undefined;
  const known = patient.ageCache.get(age);
  if (known !== undefined) return known === '' ? undefined : known;
  const date = calcDate(patient.birthDate, age);
  patient.ageCache.set(age, date ?? '');
  return date;
}
