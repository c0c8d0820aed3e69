/**
 * Best patient series selection (LS Ch 8, Table 8-1): one prioritized patient series per series group
 * (§8.1-8.7, in prioritized-series.ts), then the best patient series across series groups (§8.8).
 */
import { ageDate } from './dose-rules.ts';
import { prioritizedSeries } from './prioritized-series.ts';
import type { PatientContext, PatientSeries } from './types.ts';

function isComplete(ps: PatientSeries): boolean {
  return ps.forecast.status === 'Complete' || ps.forecast.status === 'Immune';
}

/**
 * Can the patient start (or still be in) a series by its start ages: its first valid dose (or, with none, the
 * assessment date) lies in [minAgeToStart, maxAgeToStart); a complete series is exempt from the minimum, and
 * a risk series' minimum is judged on the assessment date, since the indication starts it. Used across
 * series groups (§8.8) so that a group whose prioritized series the patient cannot start drops out.
 * @param ps - the patient series.
 * @param patient - the patient.
 * @returns true when startable.
 */
export function isStartable(ps: PatientSeries, patient: PatientContext): boolean {
  const start = ps.evaluations.find((e) => e.status === 'Valid')?.dose.date ?? patient.assessmentDate;
  const min = ageDate(patient, ps.series.minAgeToStart);
  const max = ageDate(patient, ps.series.maxAgeToStart);
  const minRef = ps.series.type === 'risk' ? patient.assessmentDate : start;
  const minOk = !min || minRef >= min || ps.forecast.status === 'Complete';
  return minOk && (!max || start < max);
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
 * Selects the best series of an antigen across its series groups (LS §8.8), from the prioritized
 * patient series of each group (§8.1-8.7). Groups whose prioritized series the patient cannot start
 * (`isStartable`) drop out unless none is left. A group is satisfied when its best series is complete or immune, or
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
    const group = groups.get(key);
    if (group) group.push(ps);
    else groups.set(key, [ps]);
  }
  const all_: [string, PatientSeries][] = [];
  for (const [key, g] of groups) {
    const ps = prioritizedSeries(g, patient);
    if (ps) all_.push([key, ps]);
  }
  // A group whose best series the patient could not start (start ages) drops out, unless none is left.
  const startable = all_.filter(([, ps]) => isStartable(ps, patient));
  const bests = new Map(startable.length > 0 ? startable : all_);
  // The forecast-driving series is one of the best patient series of Table 8-14 whenever there is one
  // (a risk series in an equivalent group supersedes the standard one).
  const eligible = new Map([...bests].filter(([key, ps]) => isBestPatientSeries(key, ps, bests)));
  const best = pickBest(eligible.size > 0 ? eligible : bests);
  const others = [...eligible.values()].filter((ps) => ps !== best);
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
