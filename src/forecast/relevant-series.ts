/**
 * Relevant patient series (LS Ch 5): gender, series type and risk indications.
 */
import { ageDate } from './dose-rules.ts';
import type { Indication, Series } from './supporting-data-types.ts';
import type { PatientContext } from './types.ts';

/**
 * Returns the indication that makes a risk series relevant, if any (observation active and the
 * assessment date inside [begin age, end age)).
 * @param series - the series.
 * @param patient - the patient.
 * @returns the applicable indication or undefined.
 */
export function applicableIndication(series: Series, patient: PatientContext): Indication | undefined {
  return series.indications.find((ind) => {
    if (!patient.observationCodes.has(ind.observationCode)) return false;
    const begin = ageDate(patient, ind.beginAge);
    const end = ageDate(patient, ind.endAge);
    return (!begin || patient.assessmentDate >= begin) && (!end || patient.assessmentDate < end);
  });
}

/**
 * Is a series relevant to the patient (LS §5)?
 * @param series - the series.
 * @param patient - the patient.
 * @returns true when relevant.
 */
export function isRelevantSeries(series: Series, patient: PatientContext): boolean {
  if (series.requiredGenders.length > 0 && !series.requiredGenders.includes(patient.gender)) return false;
  if (series.type === 'risk') return patient.observationCodes.size > 0 && applicableIndication(series, patient) !== undefined;
  return true;
}
