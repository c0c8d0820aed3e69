/**
 * The CDSi engine entry point (LS §4, Table 4-1): gather, organise, evaluate and forecast each
 * relevant series, select the best series per antigen, and merge antigens into vaccine groups.
 */
import { evaluateSeries } from './evaluate-series.ts';
import { forecastSeries } from './forecast-series.ts';
import { organizeHistory } from './organize-history.ts';
import { isRelevantSeries } from './relevant-series.ts';
import { selectBestSeries, type BestSeries } from './select-best-series.ts';
import type { AntigenData, Series, SupportingData, VaccineGroupDef } from './supporting-data-types.ts';
import type { AntigenDose, DoseEvaluation, ForecastInput, ForecastResult, PatientContext, PatientSeries, VaccineGroupForecast } from './types.ts';
import { buildVaccineGroupForecast } from './vaccine-group-forecast.ts';

function buildContext(input: ForecastInput, data: SupportingData): PatientContext {
  const doses = [...input.doses].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const observationDates = new Map<string, string>();
  for (const o of input.observations) if (o.date) observationDates.set(o.code, o.date);
  return {
    birthDate: input.birthDate,
    gender: input.gender === 'male' || input.gender === 'female' ? input.gender : 'unknown',
    assessmentDate: input.assessmentDate,
    doses,
    observationCodes: new Set(input.observations.map((o) => o.code)),
    observationDates,
    data,
    completedSeriesGroups: new Map(),
    ageCache: new Map(),
    conflictCache: new Map(),
  };
}

const completedConditionMemo = new WeakMap<Series, boolean>();

/** Does a series depend on another series group being complete (conditional skip type Completed Series)? Memoised per series. */
function hasCompletedSeriesCondition(series: Series): boolean {
  const known = completedConditionMemo.get(series);
  if (known !== undefined) return known;
  const value = series.doses.some((d) => d.conditionalSkips.some((k) => k.sets.some((set) => set.conditions.some((c) => c.type === 'completed series'))));
  completedConditionMemo.set(series, value);
  return value;
}

/** Records when a series group was completed: the latest satisfying dose date of a complete series, keeping the earliest per group. */
function recordCompletion(patient: PatientContext, key: string, ps: PatientSeries): void {
  const done = ps.satisfiedDates.reduce<string | undefined>((a, d) => (d && (!a || d > a) ? d : a), undefined);
  if (!done) return;
  const known = patient.completedSeriesGroups.get(key);
  if (!known || done < known) patient.completedSeriesGroups.set(key, done);
}

const relevantMemo = new WeakMap<AntigenData, Map<string, Series[]>>();

/** Relevant series of an antigen (LS Ch 5); without observations they depend only on gender, so are memoised per antigen. */
function relevantSeriesOf(antigen: AntigenData, patient: PatientContext): Series[] {
  if (patient.observationCodes.size > 0) return antigen.series.filter((s) => isRelevantSeries(s, patient));
  let byGender = relevantMemo.get(antigen);
  if (!byGender) {
    byGender = new Map();
    relevantMemo.set(antigen, byGender);
  }
  let list = byGender.get(patient.gender);
  if (!list) {
    list = antigen.series.filter((s) => isRelevantSeries(s, patient));
    byGender.set(patient.gender, list);
  }
  return list;
}

function runAntigen(antigen: AntigenData, doses: AntigenDose[], patient: PatientContext): BestSeries & { evaluationOnly: boolean } {
  let relevant = relevantSeriesOf(antigen, patient);
  const evaluationOnly = relevant.length === 0;
  if (evaluationOnly) {
    if (doses.length === 0) return { evaluationOnly, others: [] };
    relevant = antigen.series.filter((s) => s.requiredGenders.length === 0 || s.requiredGenders.includes(patient.gender));
  }
  const run = (s: Series): PatientSeries => {
    const ps = evaluateSeries(s, antigen, doses, patient);
    ps.forecast = forecastSeries(ps, patient);
    if (ps.forecast.status === 'Complete') recordCompletion(patient, `${antigen.name}|${s.seriesGroup}`, ps);
    return ps;
  };
  let all = relevant.map(run);
  // Series that skip doses once another series group is complete are walked again with the completions known.
  if (all.some((ps) => ps.forecast.status === 'Complete')) all = all.map((ps) => (hasCompletedSeriesCondition(ps.series) ? run(ps.series) : ps));
  const { best, others } = selectBestSeries(all, patient);
  return { best, others, evaluationOnly };
}

/**
 * LS Ch 9: best patient series are blended only with series of the same series type, so a patient with
 * both a standard and a risk best series has one forecast per type, and the risk forecast is the one
 * reported (the patient's indication drives the need). This applies to vaccine groups whose vaccines
 * need not cover the whole group (administer full vaccine group = No, the default); for MMR (Yes) the
 * forecast keeps following the series that covers every antigen.
 * @param selected - the best series of one antigen.
 * @param group - the antigen's vaccine group.
 * @returns the best series, with a risk best series driving the forecast when it applies.
 */
function preferRiskSeries(selected: BestSeries, group: VaccineGroupDef | undefined): BestSeries {
  const { best, others } = selected;
  if (!best || best.series.type === 'risk' || !group || group.administerFullVaccineGroup) return selected;
  const risk = others.find((ps) => ps.series.type === 'risk' && ps.forecast.status === 'Not Complete') ?? others.find((ps) => ps.series.type === 'risk');
  return risk ? { best: risk, others: [best, ...others.filter((ps) => ps !== risk)] } : selected;
}

/**
 * When a Risk series is among several best patient series of an antigen (LS §8.8), the doses that
 * protect the patient may be spread over them (e.g. a completed standard series and a risk booster
 * series), so the forecast dose number counts every dose valid in any best series, plus 1 (FORECASTDN-1
 * across the best patient series). Only a series that restarts the regimen keeps its own count: one with
 * valid doses that no other best series counts and no skipped target dose (e.g. MMR re-vaccination after
 * antiretroviral therapy).
 * @param best - the forecast-driving best series.
 * @param others - the other best series.
 * @returns the forecast, with the dose number adjusted when it applies.
 */
function withCombinedDoseNumber(best: PatientSeries, others: PatientSeries[]): PatientSeries['forecast'] {
  const all = [best, ...others];
  if (best.forecast.status !== 'Not Complete' || !all.some((ps) => ps.series.type === 'risk')) return best.forecast;
  const validIds = (ps: PatientSeries): string[] => ps.evaluations.filter((e) => e.status === 'Valid').map((e) => e.dose.doseId);
  const elsewhere = new Set(others.flatMap(validIds));
  const restarts = validIds(best).some((id) => !elsewhere.has(id)) && !best.targetStatus.includes('Skipped');
  if (restarts) return best.forecast;
  const valid = new Set([...validIds(best), ...elsewhere]);
  return { ...best.forecast, forecastDoseNumber: Math.max(valid.size + 1, best.forecast.forecastDoseNumber ?? 1) };
}

/**
 * Evaluates a patient's history and forecasts every vaccine group (CDSi LS 4.6).
 * @param input - the patient, history, observations and assessment date.
 * @param data - supporting data from `loadSupportingData`.
 * @returns vaccine-group forecasts and dose evaluations.
 */
export function forecastPatient(input: ForecastInput, data: SupportingData): ForecastResult {
  const patient = buildContext(input, data);
  const byAntigen = organizeHistory(patient);
  const bests = new Map<string, PatientSeries>();
  const forecastable = new Set<string>();
  const evaluations: DoseEvaluation[] = [];
  for (const antigen of data.antigens.values()) {
    const selected = runAntigen(antigen, byAntigen.get(antigen.name) ?? [], patient);
    const groupName = data.antigenToGroup.get(antigen.name);
    const { best, others } = preferRiskSeries(selected, data.vaccineGroups.find((g) => g.name === groupName));
    const { evaluationOnly } = selected;
    if (!best) continue;
    if (others.length > 0) best.forecast = withCombinedDoseNumber(best, others);
    bests.set(antigen.name, best);
    if (!evaluationOnly) forecastable.add(antigen.name);
    const group = data.antigenToGroup.get(antigen.name) ?? best.series.vaccineGroup;
    // The forecast-driving series reports every dose; another best series adds the doses it counts as
    // Valid that the driving series does not (e.g. the completed standard series behind a risk booster).
    const valid = new Set<string>();
    for (const ps of [best, ...others]) {
      for (const e of ps.evaluations) {
        if (ps !== best && (e.status !== 'Valid' || valid.has(e.dose.doseId))) continue;
        if (e.status === 'Valid') valid.add(e.dose.doseId);
        evaluations.push({
          doseId: e.dose.doseId, antigen: antigen.name, vaccineGroup: group, status: e.status, reasons: e.reasons,
          seriesName: ps.series.name, targetDoseNumber: e.targetDoseNumber, seriesDoses: ps.series.doses.length,
        });
      }
    }
  }
  const vaccineGroups: VaccineGroupForecast[] = [];
  for (const group of data.vaccineGroups) {
    let list = group.antigens.filter((a) => forecastable.has(a)).map((a) => bests.get(a)).filter((ps): ps is PatientSeries => ps !== undefined);
    // LS Ch 9: blend only best series of the same type; the risk blend is the one reported.
    if (!group.administerFullVaccineGroup && list.some((ps) => ps.series.type === 'risk')) list = list.filter((ps) => ps.series.type === 'risk');
    const forecast = buildVaccineGroupForecast(group, list);
    if (forecast) vaccineGroups.push(forecast);
  }
  return { vaccineGroups, evaluations };
}
