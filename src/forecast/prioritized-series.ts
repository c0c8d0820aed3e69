/**
 * The prioritized patient series of one series group (LS 4.6 §8.1-8.7): pre-filter to scorable series,
 * look for a single obviously superior series (Table 8-3), classify (Table 8-5), score (Tables 8-7, 8-9,
 * 8-11) and pick the highest score, ties going to the best series preference (SELECTBEST-1/2).
 */
import { ageDate } from './dose-rules.ts';
import { finishDate } from './forecast-series.ts';
import type { PatientContext, PatientSeries } from './types.ts';

/** SELECTB-21: the number of valid doses is the count of Satisfied target doses (a recurring one counts each time). */
function validDoses(ps: PatientSeries): number {
  return ps.satisfiedCount;
}

/** SELECTB-6. */
function isComplete(ps: PatientSeries): boolean {
  return ps.forecast.status === 'Complete';
}

/** SELECTB-16. */
function isInProcess(ps: PatientSeries): boolean {
  return validDoses(ps) > 0 && ps.forecast.status === 'Not Complete';
}

/**
 * SELECTB-3: completable when the forecast finish date (SELECTB-12) is before the maximum age date of the
 * last target dose; only a series with a forecast (Not Complete) has a finish date.
 * @param ps - a scorable patient series.
 * @param patient - the patient.
 * @returns true when completable.
 */
function isCompletable(ps: PatientSeries, patient: PatientContext): boolean {
  if (ps.forecast.status !== 'Not Complete' || !ps.forecast.earliest) return false;
  ps.forecast.finishDate ??= finishDate(ps, ps.forecast.earliest);
  const last = ps.series.doses[ps.series.doses.length - 1];
  const maxAge = last?.ages.find((a) => a.maxAge)?.maxAge;
  const maxAgeDate = ageDate(patient, maxAge);
  return !maxAgeDate || ps.forecast.finishDate < maxAgeDate;
}

function earliestValidDate(ps: PatientSeries): string | undefined {
  return ps.evaluations.find((e) => e.status === 'Valid')?.dose.date;
}

/**
 * §8.1, Table 8-2 (SELECTB-24, SELECTSCORE-2): the scorable patient series of a series group. A Risk series
 * is scorable when no relevant series of the group has a higher series priority. One deliberate deviation: the
 * priority comparison applies only once a highest-priority Risk series has a valid dose, because a few risk
 * series of supporting data 4.64 carry neither a maximum age to start nor indication end ages (MenACWY risk
 * 2-23 month, priority A) and, applied literally, would leave an adult at outbreak risk with an Aged Out infant
 * series instead of the priority B 1-dose series written for them.
 * @param group - the relevant patient series of one series group.
 * @param patient - the patient.
 * @returns the scorable patient series.
 */
function scorableSeries(group: PatientSeries[], patient: PatientContext): PatientSeries[] {
  const allContraindicated = group.every((ps) => ps.forecast.status === 'Contraindicated');
  const candidate = (ps: PatientSeries): boolean => ps.forecast.status !== 'Contraindicated' || allContraindicated;
  const top = group.map((ps) => ps.series.seriesPriority).sort()[0];
  const topStarted = group.some((ps) => ps.series.type === 'risk' && ps.series.seriesPriority === top && validDoses(ps) > 0);
  const noneValid = group.every((ps) => validDoses(ps) === 0);
  const noDefault = !group.some((ps) => ps.series.defaultSeries);
  return group.filter((ps) => {
    const type = ps.series.type;
    if (type === 'evaluation only') return isComplete(ps);
    if (!candidate(ps)) return false;
    if (type === 'risk') return !topStarted || ps.series.seriesPriority === top;
    const first = earliestValidDate(ps);
    const maxStart = ageDate(patient, ps.series.maxAgeToStart);
    if (first && (!maxStart || first < maxStart)) return true;
    return noneValid && noDefault;
  });
}

/** Table 8-9/8-11 style points: +win when true for one series only, tie when true for several, loss when false. */
function points(flags: boolean[], i: number, win: number, tie: number, loss: number): number {
  if (!flags[i]) return loss;
  return flags.filter(Boolean).length > 1 ? tie : win;
}

function best<T>(values: T[], better: (a: T, b: T) => boolean): boolean[] {
  return values.map((v) => values.every((w) => !better(w, v)));
}

function scoreComplete(list: PatientSeries[]): number[] {
  const most = best(list.map(validDoses), (a, b) => a > b);
  return list.map((_, i) => points(most, i, 1, 0, -1));
}

function scoreInProcess(list: PatientSeries[], patient: PatientContext): number[] {
  const completable = list.map((ps) => isCompletable(ps, patient));
  const most = best(list.map(validDoses), (a, b) => a > b);
  const open = list.map((ps) => ps.series.doses.filter((_, d) => ps.targetStatus[d] !== 'Satisfied' && ps.targetStatus[d] !== 'Skipped').length);
  const closest = best(open, (a, b) => a < b);
  const finish = list.map((ps, i) => (completable[i] ? ps.forecast.finishDate ?? '9999-12-31' : '9999-12-31'));
  const earliest = finish.map((f, i) => completable[i] === true && finish.every((g, j) => !completable[j] || f <= g));
  return list.map((ps, i) => {
    const allValid = ps.evaluations.every((e) => e.status === 'Valid');
    return (ps.series.productPath && allValid ? 2 : -2) + (completable[i] ? 3 : -3) + points(most, i, 2, 0, -2)
      + points(closest, i, 2, 0, -2) + points(earliest, i, 1, 0, -1);
  });
}

function scoreNoValidDoses(list: PatientSeries[], patient: PatientContext): number[] {
  const completable = list.map((ps) => isCompletable(ps, patient));
  // SELECTB-14: the start date of a series with no valid dose is the earliest date of its forecast.
  const start = list.map((ps) => ps.forecast.earliest);
  const earliest = start.map((s) => s !== undefined && start.every((t) => t === undefined || s <= t));
  return list.map((ps, i) => points(earliest, i, 1, 0, -1) + (completable[i] ? 1 : -1) + (ps.series.productPath ? -1 : 1));
}

function highest(list: PatientSeries[], scores: number[]): PatientSeries | undefined {
  let pick: number | undefined;
  for (let i = 0; i < list.length; i += 1) {
    const s = scores[i] ?? 0;
    const b = pick === undefined ? undefined : scores[pick] ?? 0;
    const pref = (list[i] as PatientSeries).series.seriesPreference;
    if (b === undefined || s > b || (s === b && pref < (list[pick as number] as PatientSeries).series.seriesPreference)) pick = i;
  }
  return pick === undefined ? undefined : list[pick];
}

/**
 * The prioritized patient series of a series group (LS §8.1-8.7).
 * @param group - the relevant, evaluated and forecast patient series of one series group.
 * @param patient - the patient.
 * @returns the prioritized patient series, or undefined when the group has none (no scorable series and no
 *   single default series, e.g. an Evaluation Only series that is not complete).
 */
export function prioritizedSeries(group: PatientSeries[], patient: PatientContext): PatientSeries | undefined {
  const scorable = scorableSeries(group, patient);
  const defaults = group.filter((ps) => ps.series.defaultSeries);
  const complete = scorable.filter(isComplete);
  const inProcess = scorable.filter(isInProcess);
  // §8.2, Table 8-3.
  if (scorable.length === 0) return defaults.length === 1 ? defaults[0] : undefined;
  if (scorable.length === 1) return scorable[0];
  if (complete.length === 1) return complete[0];
  if (complete.length === 0 && inProcess.length === 1) return inProcess[0];
  if (complete.length === 0 && inProcess.length === 0 && defaults.length === 1) return defaults[0];
  // §8.3, Table 8-5, then §8.4-8.7.
  if (complete.length >= 2) return highest(complete, scoreComplete(complete));
  if (inProcess.length >= 2) return highest(inProcess, scoreInProcess(inProcess, patient));
  if (scorable.every((ps) => validDoses(ps) === 0)) return highest(scorable, scoreNoValidDoses(scorable, patient));
  // Table 8-5 has no rule for scorable series that are neither complete nor in process but have valid doses
  // (e.g. every series Contraindicated after a dose): SELECTBEST-2's tie-break, the best series preference.
  return highest(scorable, scorable.map(() => 0));
}
