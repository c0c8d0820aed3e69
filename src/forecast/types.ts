/**
 * Public input and output types of the CDSi forecasting engine, plus the internal records shared by
 * evaluation, forecasting and series selection.
 */
import type { AntigenData, Series, SeriesDose, SupportingData } from './supporting-data-types.ts';

/** A dose administered to the patient. */
export interface DoseInput {
  id: string;
  date: string;
  cvx: string;
  mvx?: string;
  lotExpiration?: string;
  subStandard?: boolean;
}

/** Everything the engine needs about one patient (LS §4.1). */
export interface ForecastInput {
  birthDate: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  assessmentDate: string;
  doses: DoseInput[];
  /** Active observations as 3-digit CDSi codes (see `mapToObservationCodes`). */
  observations: { code: string; date?: string }[];
}

/** Patient series status (LS Table 3-3). */
export type SeriesStatus = 'Complete' | 'Not Complete' | 'Immune' | 'Contraindicated' | 'Aged Out' | 'Not Recommended';

/** Dose evaluation status (LS Table 3-1). */
export type EvaluationStatus = 'Valid' | 'Not Valid' | 'Extraneous' | 'Sub-standard';

/** The forecast for one vaccine group (LS Ch 9). */
export interface VaccineGroupForecast {
  groupName: string;
  groupCvx?: string;
  status: SeriesStatus;
  forecastDoseNumber?: number;
  earliest?: string;
  recommended?: string;
  pastDue?: string;
  latest?: string;
  recommendedVaccines: string[];
  reason: string;
  seriesName: string;
  supportingDoseIds: string[];
}

/** The evaluation of one dose for one antigen in its best series. */
export interface DoseEvaluation {
  doseId: string;
  antigen: string;
  vaccineGroup: string;
  status: EvaluationStatus;
  reasons: string[];
  seriesName: string;
  targetDoseNumber?: number;
  seriesDoses?: number;
}

/** The engine's answer. */
export interface ForecastResult {
  vaccineGroups: VaccineGroupForecast[];
  evaluations: DoseEvaluation[];
}

/** A dose split into one antigen administered (LS §4.2). */
export interface AntigenDose {
  doseId: string;
  date: string;
  cvx: string;
  mvx?: string;
  lotExpiration?: string;
  subStandard: boolean;
  antigen: string;
}

/** Patient facts shared by every step. */
export interface PatientContext {
  birthDate: string;
  gender: string;
  assessmentDate: string;
  /** All doses, sorted by date. */
  doses: DoseInput[];
  observationCodes: Set<string>;
  observationDates: Map<string, string>;
  data: SupportingData;
  /**
   * Completed series groups (key `antigen|group`) with the date the group was completed: the date of the
   * dose that satisfied the last target dose of its earliest-completed series (completed-series skips, LS §6.2).
   */
  completedSeriesGroups: Map<string, string>;
  /** Memo of birth date + age text (ages repeat across series and rows). */
  ageCache: Map<string, string | undefined>;
  /** Vaccine-conflict flags per dose id, computed for the whole history on first use. */
  conflictCache: Map<string, boolean>;
  /** Forecast conflict end dates per current vaccine type (CVX), built on first use (LS §7.5 FORECASTDTCAN-1). */
  forecastConflictEnds?: Map<string, string[]>;
}

/** Evaluation of one antigen dose within one patient series. */
export interface SeriesDoseEvaluation {
  dose: AntigenDose;
  status: EvaluationStatus;
  reasons: string[];
  /** 1-based target dose number this dose was evaluated against. */
  targetDoseNumber?: number;
  inadvertent: boolean;
}

/** Forecast dates and outcome of one patient series (LS Ch 7). */
export interface SeriesForecast {
  status: SeriesStatus;
  forecastDoseNumber?: number;
  earliest?: string;
  recommended?: string;
  pastDue?: string;
  latest?: string;
  recommendedVaccines: string[];
  reason: string;
  /** Forecast finish date used in scoring (SELECTB-12). */
  finishDate?: string;
  maxAgeDate?: string;
}

/** A patient series after evaluation and forecasting. */
export interface PatientSeries {
  series: Series;
  antigen: AntigenData;
  targetStatus: ('Not Satisfied' | 'Satisfied' | 'Skipped')[];
  /** Satisfying dose date per target index (for fromTargetDose). */
  satisfiedDates: (string | undefined)[];
  evaluations: SeriesDoseEvaluation[];
  /** Index of the next unsatisfied target dose (may exceed the series length for recurring doses). */
  nextTarget: number;
  /** Number of doses that satisfied a target dose (a recurring target dose can be satisfied repeatedly). */
  satisfiedCount: number;
  forecast: SeriesForecast;
}

/**
 * Returns the target dose at a 0-based index.
 * @param series - the series.
 * @param index - the target index.
 * @returns the series dose or undefined when past the end.
 */
export function targetDoseAt(series: Series, index: number): SeriesDose | undefined {
  return series.doses[index];
}
