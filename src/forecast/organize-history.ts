/**
 * Organising the immunization history (LS §4.2): each dose becomes one antigen administered per
 * antigen of its CVX (cvxToAntigenMap), honouring association begin/end ages (e.g. CVX 121).
 */
import { ageDate } from './dose-rules.ts';
import type { AntigenDose, PatientContext } from './types.ts';

/**
 * Splits the patient's doses into antigen doses, grouped by antigen and sorted by date.
 * @param patient - the patient (doses already sorted by date).
 * @returns antigen doses by antigen name.
 */
export function organizeHistory(patient: PatientContext): Map<string, AntigenDose[]> {
  const out = new Map<string, AntigenDose[]>();
  for (const d of patient.doses) {
    if (d.date > patient.assessmentDate) continue;
    for (const assoc of patient.data.cvxToAntigens.get(d.cvx) ?? []) {
      const begin = ageDate(patient, assoc.beginAge);
      const end = ageDate(patient, assoc.endAge);
      if ((begin && d.date < begin) || (end && d.date >= end)) continue;
      const list = out.get(assoc.antigen) ?? [];
      list.push({
        doseId: d.id, date: d.date, cvx: d.cvx, mvx: d.mvx, lotExpiration: d.lotExpiration,
        subStandard: d.subStandard === true, antigen: assoc.antigen,
      });
      out.set(assoc.antigen, list);
    }
  }
  return out;
}
