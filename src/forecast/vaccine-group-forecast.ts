/**
 * Vaccine-group forecast (LS Ch 9): single-antigen groups copy the antigen's best series (§9.1);
 * multi-antigen groups (DTaP/Tdap/Td, MMR) merge their antigens (§9.2, §9.3).
 */
import { maxDate, minDate } from './calc-date.ts';
import type { VaccineGroupDef } from './supporting-data-types.ts';
import type { PatientSeries, SeriesStatus, VaccineGroupForecast } from './types.ts';

function supportingDoseIds(list: PatientSeries[]): string[] {
  const ids = new Set<string>();
  for (const ps of list) for (const e of ps.evaluations) ids.add(e.dose.doseId);
  return [...ids];
}

function notBefore(date: string | undefined, floor: string | undefined): string | undefined {
  return date === undefined ? undefined : maxDate(date, floor);
}

function mergeStatus(statuses: SeriesStatus[], fullGroup: boolean): SeriesStatus {
  if (statuses.includes('Not Complete')) return 'Not Complete';
  if (statuses.includes('Contraindicated') && (fullGroup || statuses.every((s) => s === 'Contraindicated'))) return 'Contraindicated';
  if (statuses.every((s) => s === 'Immune')) return 'Immune';
  if (statuses.every((s) => s === 'Complete' || s === 'Immune')) return 'Complete';
  if (statuses.includes('Complete')) return 'Complete';
  if (statuses.includes('Aged Out')) return 'Aged Out';
  if (statuses.includes('Contraindicated')) return 'Contraindicated';
  return 'Not Recommended';
}

/**
 * Builds the forecast of one vaccine group from the best series of each of its antigens.
 * @param group - the vaccine group definition.
 * @param bests - best patient series of the group's antigens (antigens without a relevant series are absent).
 * @returns the vaccine-group forecast, or undefined when no antigen has a relevant series.
 */
export function buildVaccineGroupForecast(group: VaccineGroupDef, bests: PatientSeries[]): VaccineGroupForecast | undefined {
  if (bests.length === 0) return undefined;
  const status = mergeStatus(bests.map((ps) => ps.forecast.status), group.administerFullVaccineGroup);
  const due = bests.filter((ps) => ps.forecast.status === 'Not Complete');
  const lead = due[0] ?? bests.find((ps) => ps.forecast.status === status) ?? bests[0] as PatientSeries;
  const base: VaccineGroupForecast = {
    groupName: group.name, groupCvx: group.cvx, status, recommendedVaccines: [],
    reason: lead.forecast.reason, seriesName: lead.series.name, supportingDoseIds: supportingDoseIds(bests),
  };
  if (status !== 'Not Complete') return base;
  if (!group.administerFullVaccineGroup) {
    // §9.3, administer full vaccine group = No: a vaccine covering a subset of the antigens may be
    // given, so the antigen that can be vaccinated first drives the group forecast.
    let first = due[0] as PatientSeries;
    let doseNumber = 1;
    let recommended: string | undefined;
    let pastDue: string | undefined;
    for (const ps of due) {
      if ((ps.forecast.earliest ?? '') < (first.forecast.earliest ?? '')) first = ps;
      doseNumber = Math.max(doseNumber, ps.forecast.forecastDoseNumber ?? 1);
      recommended = minDate(recommended, ps.forecast.recommended);
      pastDue = minDate(pastDue, ps.forecast.pastDue);
    }
    // The next group dose also follows the latest dose given for any antigen of the group.
    let lastDose: string | undefined;
    for (const ps of bests) for (const e of ps.evaluations) if (!lastDose || e.dose.date > lastDose) lastDose = e.dose.date;
    const earliest = maxDate(first.forecast.earliest, lastDose);
    // Fields set on the fresh object rather than spread: this runs for every group of every patient.
    base.forecastDoseNumber = doseNumber;
    base.earliest = earliest;
    base.recommended = maxDate(recommended, earliest);
    base.pastDue = notBefore(pastDue, earliest);
    base.latest = first.forecast.latest;
    base.recommendedVaccines = first.forecast.recommendedVaccines;
    base.reason = first.forecast.reason;
    base.seriesName = first.series.name;
    return base;
  }
  // §9.3: the group can only be given when every antigen that needs a dose can take it.
  const numbers = due.map((ps) => ps.forecast.forecastDoseNumber ?? 1);
  const earliest = maxDate(...due.map((ps) => ps.forecast.earliest));
  const vaccines: string[] = [];
  for (const ps of due) for (const v of ps.forecast.recommendedVaccines) if (!vaccines.includes(v)) vaccines.push(v);
  return {
    ...base,
    forecastDoseNumber: Math.min(...numbers),
    earliest,
    // The group is due as soon as one antigen is due, but never before it can be given.
    recommended: maxDate(minDate(...due.map((ps) => ps.forecast.recommended)), earliest),
    pastDue: minDate(...due.map((ps) => ps.forecast.pastDue)),
    latest: minDate(...due.map((ps) => ps.forecast.latest)),
    recommendedVaccines: vaccines,
  };
}
