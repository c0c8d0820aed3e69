/**
 * Vaccine (live virus) conflicts, LS §6.7: a dose given inside the conflict window of an earlier
 * dose of a conflicting vaccine type is Not Valid. The check spans all antigens of the history.
 */
import { calcDate } from './calc-date.ts';
import type { DoseInput, PatientContext } from './types.ts';

/**
 * Conflict end date caused by one earlier dose for a current vaccine type, when the types conflict.
 * @param previous - the earlier dose.
 * @param currentCvx - the vaccine type of the later dose.
 * @param patient - the patient (for the conflict table).
 * @param previousValid - whether the earlier dose is valid (uses the minimum conflict end interval).
 * @returns the begin and end of the conflict window, or undefined.
 */
export function conflictWindow(previous: DoseInput, currentCvx: string, patient: PatientContext, previousValid: boolean): { begin: string; end: string } | undefined {
  const rows = patient.data.conflictsByPrevious.get(previous.cvx);
  if (!rows) return undefined;
  for (const row of rows) {
    if (row.currentCvx !== currentCvx) continue;
    const begin = calcDate(previous.date, row.beginInterval) ?? previous.date;
    const end = calcDate(previous.date, previousValid ? row.minEndInterval : row.endInterval);
    if (end) return { begin, end };
  }
  return undefined;
}

/**
 * Whether each dose of the history (sorted by date) is in conflict, computed once per patient in date order: a dose
 * is in conflict when it falls in the window of an earlier dose of a conflicting type, and that window is the
 * shorter one (minimum conflict end interval) when the earlier dose is not itself in conflict. Each dose depends
 * only on the doses before it, so one pass decides them all.
 * @param patient - the patient with all doses sorted by date.
 * @returns conflict flags by dose id.
 */
function conflictsOf(patient: PatientContext): Map<string, boolean> {
  const flags: boolean[] = [];
  for (let index = 0; index < patient.doses.length; index += 1) {
    const current = patient.doses[index] as DoseInput;
    let result = false;
    for (let i = 0; i < index && !result; i += 1) {
      const prev = patient.doses[i] as DoseInput;
      if (prev.date >= current.date) continue;
      const window = conflictWindow(prev, current.cvx, patient, !flags[i]);
      if (window && current.date >= window.begin && current.date < window.end) result = true;
    }
    flags.push(result);
  }
  const byId = new Map<string, boolean>();
  patient.doses.forEach((d, i) => {
    // A repeated id keeps its first dose's flag, as a lookup by id finds the first dose.
    if (!byId.has(d.id)) byId.set(d.id, flags[i] as boolean);
  });
  return byId;
}

/**
 * Tells whether a dose of the history falls in the conflict window of an earlier conflicting dose.
 * An earlier dose counts as valid unless it is itself in conflict.
 * @param doseId - the dose id.
 * @param patient - the patient with all doses sorted by date.
 * @returns true when the dose is in conflict.
 */
export function hasVaccineConflict(doseId: string, patient: PatientContext): boolean {
  if (patient.conflictCache.size === 0 && patient.doses.length > 0) patient.conflictCache = conflictsOf(patient);
  return patient.conflictCache.get(doseId) ?? false;
}

/**
 * Forecast conflict end dates (CALCDTLIVE-4) of the whole history, per current vaccine type: for every
 * earlier dose of a conflicting type, the end of its conflict window (conflict end interval). Built once
 * per patient because every series forecast asks for it.
 * @param patient - the patient with all doses.
 * @returns end dates per current CVX.
 */
export function forecastConflictEnds(patient: PatientContext): Map<string, string[]> {
  if (patient.forecastConflictEnds) return patient.forecastConflictEnds;
  const out = new Map<string, string[]>();
  for (const prev of patient.doses) {
    const rows = patient.data.conflictsByPrevious.get(prev.cvx);
    if (!rows) continue;
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.currentCvx)) continue;
      const end = conflictWindow(prev, row.currentCvx, patient, false)?.end;
      if (!end) continue;
      seen.add(row.currentCvx);
      const list = out.get(row.currentCvx) ?? [];
      list.push(end);
      out.set(row.currentCvx, list);
    }
  }
  patient.forecastConflictEnds = out;
  return out;
}
