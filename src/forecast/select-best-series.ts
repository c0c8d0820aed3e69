/**
 * Best patient series selection (LS Ch 8, Table 8-1): scorable series, per series group selection
 * with scoring (Tables 8-5 and 8-9), ties broken by series preference (SELECTBEST-1/2), then the
 * combination across series groups (§8.8).
 */
import { ageDate } from './dose-rules.ts';
import { finishDate } from './forecast-series.ts';
import type { PatientContext, PatientSeries } from './types.ts';

function validCount(ps: PatientSeries): number {
  return ps.evaluations.filter((e) => e.status === 'Valid').length;
}

function firstValidDate(ps: PatientSeries): string | undefined {
  return ps.evaluations.find((e) => e.status === 'Valid')?.dose.date;
}

/**
 * A series is scorable when its first valid dose (or, with none, the assessment date) lies in
 * [minAgeToStart, maxAgeToStart); a complete series is exempt from the minimum (LS §8.1).
 * @param ps - the patient series.
 * @param patient - the patient.
 * @returns true when scorable.
 */
export function isScorable(ps: PatientSeries, patient: PatientContext): boolean {
  // A series with a valid dose is already started; start ages only gate series not yet begun.
  const start = firstValidDate(ps) ?? patient.assessmentDate;
  const min = ageDate(patient, ps.series.minAgeToStart);
  const max = ageDate(patient, ps.series.maxAgeToStart);
  // A completed series begun before its minimum start age still counts (e.g. HPV 3-dose begun at 9); a
  // risk series is started by the patient's indication, so its minimum start age is judged on the
  // assessment date (earlier doses count toward it, e.g. a childhood HepA dose in the adult risk series).
  const minRef = ps.series.type === 'risk' ? patient.assessmentDate : start;
  const minOk = !min || minRef >= min || ps.forecast.status === 'Complete';
  return minOk && (!max || start < max);
}

function isComplete(ps: PatientSeries): boolean {
  return ps.forecast.status === 'Complete' || ps.forecast.status === 'Immune';
}

/** Table 8-9 style score: +win / 0 tie / -loss on one numeric criterion (higher is better). */
function rank(values: number[], i: number, win: number, tie: number, loss: number): number {
  const v = values[i] ?? 0;
  const best = Math.max(...values);
  if (v < best) return loss;
  return values.filter((x) => x === best).length > 1 ? tie : win;
}

function scoreSeries(candidates: PatientSeries[]): number[] {
  const valid = candidates.map(validCount);
  const remaining = candidates.map((ps) => -(Math.max(ps.series.doses.length - ps.nextTarget, 0)));
  for (const ps of candidates) if (ps.forecast.earliest && !ps.forecast.finishDate) ps.forecast.finishDate = finishDate(ps, ps.forecast.earliest);
  const finish = candidates.map((ps) => -(ps.forecast.finishDate ? Date.parse(ps.forecast.finishDate) / 86_400_000 : 1e9));
  return candidates.map((ps, i) => {
    let score = 0;
    if (ps.series.productPath) score += ps.evaluations.every((e) => e.status === 'Valid') ? 2 : -2;
    // SELECTB-3: completable before the maximum age.
    if (!isComplete(ps)) {
      const done = ps.forecast.status === 'Not Complete' && (!ps.forecast.maxAgeDate || (ps.forecast.finishDate ?? '') < ps.forecast.maxAgeDate);
      score += done ? 3 : -3;
    }
    score += rank(valid, i, 2, 0, -2);
    score += rank(remaining, i, 2, 0, -2);
    score += rank(finish, i, 1, 0, -1);
    return score;
  });
}

function pickByScore(candidates: PatientSeries[]): PatientSeries {
  if (candidates.length === 1) return candidates[0] as PatientSeries;
  const scores = scoreSeries(candidates);
  let best = 0;
  for (let i = 1; i < candidates.length; i += 1) {
    const s = scores[i] ?? 0;
    const b = scores[best] ?? 0;
    const cand = candidates[i] as PatientSeries;
    const cur = candidates[best] as PatientSeries;
    if (s > b || (s === b && cand.series.seriesPreference < cur.series.seriesPreference)) best = i;
  }
  return candidates[best] as PatientSeries;
}

/**
 * SELECTSCORE-2 (LS §8.1): a risk series is scorable only when its series priority is the highest among
 * the risk series of its series group; lower-priority risk series drop out. Applied once a
 * highest-priority risk series has a valid dose: a few risk series carry no maximum age to start (e.g.
 * the MenACWY risk 2-23 month series in supporting data 4.64) and would otherwise capture patients of any
 * age who have not begun them; with no valid dose the scoring of Table 8-11 decides.
 * @param group - the relevant patient series of one series group.
 * @returns the series left in play.
 */
function highestRiskPriority(group: PatientSeries[]): PatientSeries[] {
  const risk = group.filter((ps) => ps.series.type === 'risk');
  if (risk.length < 2) return group;
  const top = risk.map((ps) => ps.series.seriesPriority).sort()[0];
  if (!risk.some((ps) => ps.series.seriesPriority === top && validCount(ps) > 0)) return group;
  return group.filter((ps) => ps.series.type !== 'risk' || ps.series.seriesPriority === top);
}

/**
 * Selects the best series within one series group (LS §8.2-8.7).
 * @param group - the relevant patient series of one series group.
 * @param patient - the patient.
 * @returns the best patient series.
 */
export function selectBestInGroup(all: PatientSeries[], patient: PatientContext): PatientSeries {
  const group = highestRiskPriority(all);
  if (group.length === 1) return group[0] as PatientSeries;
  const complete = group.filter((ps) => isComplete(ps) && isScorable(ps, patient));
  if (complete.length > 0) return pickByScore(complete);
  const started = group.filter((ps) => validCount(ps) > 0);
  const inProcess = started.filter((ps) => isScorable(ps, patient));
  if (inProcess.length > 0) return pickByScore(inProcess);
  if (started.length > 0) return pickByScore(started);
  // Table 8-5: with no valid dose in any series, the default series is the best.
  const byDefault = group.find((ps) => ps.series.defaultSeries);
  if (byDefault) return byDefault;
  // No default: score the series the patient can still complete (Table 8-9 criteria).
  const open = group.filter((ps) => ps.forecast.status === 'Not Complete');
  return pickByScore(open.length > 0 ? open : group);
}

/** The forecast-driving best series of an antigen plus the other best patient series (LS §8.8, Table 8-14). */
export interface BestSeries {
  best?: PatientSeries;
  /** Prioritized series of other series groups that are also best patient series (Table 8-14). */
  others: PatientSeries[];
}

/**
 * Table 8-14: is the prioritized series of a series group also a best patient series? Yes when it is
 * complete; or, not complete and not Evaluation Only and no equivalent group is complete, when it is a
 * Risk series or no equivalent group's prioritized series is a Risk series.
 * @param key - the series group of the prioritized series.
 * @param ps - the prioritized series.
 * @param bests - prioritized series by series group.
 * @returns true when it is a best patient series.
 */
export function isBestPatientSeries(key: string, ps: PatientSeries, bests: Map<string, PatientSeries>): boolean {
  if (isComplete(ps)) return true;
  if (ps.forecast.status !== 'Not Complete' || ps.series.type === 'evaluation only') return false;
  const equivalent = ps.series.equivalentSeriesGroups.filter((g) => g !== key).map((g) => bests.get(g)).filter((e): e is PatientSeries => e !== undefined);
  if (equivalent.some(isComplete)) return false;
  return ps.series.type === 'risk' || !equivalent.some((e) => e.series.type === 'risk');
}

/**
 * Selects the best series of an antigen across its series groups (LS §8.8). Groups whose best
 * series is not scorable drop out. A group is satisfied when its best series is complete or immune, or
 * when an equivalent series group (`equivalentSeriesGroups`) is. An unsatisfied group wins over
 * satisfied ones (a group that aged out does not compete), by series priority (A first), then the
 * group that can be given first, then the later (more specific) series group. The prioritized series of
 * the other groups that Table 8-14 also makes best patient series are returned beside it.
 * @param all - every relevant, evaluated and forecast patient series of one antigen.
 * @param patient - the patient.
 * @returns the forecast-driving best series (undefined when there is none) and the other best series.
 */
export function selectBestSeries(all: PatientSeries[], patient: PatientContext): BestSeries {
  const groups = new Map<string, PatientSeries[]>();
  for (const ps of all) {
    const key = ps.series.seriesGroup || ps.series.name;
    groups.set(key, [...(groups.get(key) ?? []), ps]);
  }
  const all_ = [...groups.entries()].map(([key, g]) => [key, selectBestInGroup(g, patient)] as [string, PatientSeries]);
  // A group whose best series the patient could not start (start ages) drops out, unless none is left.
  const startable = all_.filter(([, ps]) => isScorable(ps, patient));
  const bests = new Map(startable.length > 0 ? startable : all_);
  // The forecast-driving series is one of the best patient series of Table 8-14 whenever there is one
  // (a risk series in an equivalent group supersedes the standard one).
  const eligible = new Map([...bests].filter(([key, ps]) => isBestPatientSeries(key, ps, bests)));
  const best = pickBest(eligible.size > 0 ? eligible : bests);
  const others = [...bests].filter(([key, ps]) => ps !== best && isBestPatientSeries(key, ps, bests)).map(([, ps]) => ps);
  return { best, others };
}

function pickBest(bests: Map<string, PatientSeries>): PatientSeries | undefined {
  if (bests.size <= 1) return [...bests.values()][0];
  const complete = new Set([...bests].filter(([, ps]) => isComplete(ps)).map(([key]) => key));
  const satisfied = (key: string, ps: PatientSeries): boolean => complete.has(key) || ps.series.equivalentSeriesGroups.some((g) => complete.has(g));
  const byPriority = (a: [string, PatientSeries], b: [string, PatientSeries]): number =>
    a[1].series.seriesPriority.localeCompare(b[1].series.seriesPriority)
    || (a[1].forecast.earliest ?? '9999').localeCompare(b[1].forecast.earliest ?? '9999')
    || (Number(b[0]) || 0) - (Number(a[0]) || 0);
  const open = [...bests].filter(([key, ps]) => ps.forecast.status === 'Not Complete' && !satisfied(key, ps)).sort(byPriority);
  if (open.length > 0) return open[0]?.[1];
  const done = [...bests].filter(([key]) => complete.has(key)).sort(byPriority);
  return (done[0] ?? [...bests].sort(byPriority)[0])?.[1];
}
