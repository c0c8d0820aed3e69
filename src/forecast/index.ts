/**
 * Public API of the CDSi forecasting engine.
 */
export { loadSupportingData } from './load-supporting-data.ts';
export { forecastPatient } from './forecast-patient.ts';
export { mapToObservationCodes } from './observation-codes.ts';
export type { DoseEvaluation, DoseInput, EvaluationStatus, ForecastInput, ForecastResult, SeriesStatus, VaccineGroupForecast } from './types.ts';
export type { SupportingData } from './supporting-data-types.ts';
