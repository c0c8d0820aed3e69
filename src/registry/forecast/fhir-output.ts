import type { CodeableConcept, ImmunizationEvaluation, ImmunizationRecommendation, ImmunizationRecommendationRecommendation, Immunization, Patient, Reference } from '@medplum/fhirtypes';
import type { DoseEvaluation, ForecastResult, VaccineGroupForecast } from '../../forecast/index.ts';

/** Code systems of the HL7 Immunization Decision Support Forecast IG (hl7.fhir.us.immds). */
export const IMMDS_FORECAST_STATUS = 'http://hl7.org/fhir/us/immds/CodeSystem/ForecastStatus';
export const IMMDS_FORECAST_REASON = 'http://hl7.org/fhir/us/immds/CodeSystem/ForecastReason';
export const IMMDS_STATUS_REASON = 'http://hl7.org/fhir/us/immds/CodeSystem/StatusReason';
/** The CDSi vaccine group names, as a code system (the group's name exactly as in ScheduleSupportingData.xml). */
export const CDSI_VACCINE_GROUP = 'https://www.cdc.gov/vaccines/programs/iis/cdsi.html#vaccine-group';
const LOINC = 'http://loinc.org';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const SNOMED = 'http://snomed.info/sct';

/** SNOMED CT disease of each CDSi antigen (IG TargetDisease value set). */
const DISEASE: Record<string, [string, string]> = {
  Diphtheria: ['397428000', 'Diphtheria'], Tetanus: ['76902006', 'Tetanus'], Pertussis: ['27836007', 'Pertussis'],
  Polio: ['398102009', 'Acute poliomyelitis'], Measles: ['14189004', 'Measles'], Mumps: ['36989005', 'Mumps'],
  Rubella: ['36653000', 'Rubella'], HepB: ['66071002', 'Viral hepatitis type B'], HepA: ['40468003', 'Viral hepatitis, type A'],
  Hib: ['91428005', 'Haemophilus influenzae infection'], Varicella: ['38907003', 'Varicella'], Pneumococcal: ['16814004', 'Pneumococcal infectious disease'],
  Rotavirus: ['18624000', 'Disease due to Rotavirus'], Influenza: ['6142004', 'Influenza'], HPV: ['240532009', 'Human papilloma virus infection'],
  Meningococcal: ['23511006', 'Meningococcal infectious disease'], 'Meningococcal B': ['23511006', 'Meningococcal infectious disease'],
  Zoster: ['4740000', 'Herpes zoster'], 'COVID-19': ['840539006', 'Disease caused by SARS-CoV-2'], RSV: ['55735004', 'Respiratory syncytial virus infection'],
};

const STATUS: Record<VaccineGroupForecast['status'], string> = {
  Complete: 'complete', 'Not Complete': 'notComplete', Immune: 'immune', Contraindicated: 'contraindicated', 'Aged Out': 'agedOut', 'Not Recommended': 'notRecommended',
};

/** IG StatusReason for each engine reason code. */
const DOSE_REASON: Record<string, string> = {
  'too young': 'tooyoung', 'too old': 'tooold', 'too soon': 'toosoon', 'live virus conflict': 'productconflict', inadvertent: 'inappropriate',
  'not preferable or allowable': 'inappropriate', expired: 'expired', 'sub-standard': 'quantity', 'series complete': 'inappropriate',
};

function targetDisease(antigen: string): CodeableConcept {
  const d = DISEASE[antigen];
  return d ? { coding: [{ system: SNOMED, code: d[0], display: d[1] }], text: antigen } : { text: antigen };
}

/**
 * One ImmunizationEvaluation per dose and antigen (IG ImmDSEvaluation): valid / notvalid, the reason as an IG
 * StatusReason with the clinician-readable explanation as its text, the antigen's disease, series and dose number.
 * @param e - the engine's evaluation.
 * @param patient - reference to the patient.
 * @param assessmentDate - evaluation date.
 * @param immunizationRef - reference to the evaluated Immunization.
 * @returns the resource.
 */
export function toEvaluation(e: DoseEvaluation, patient: Reference<Patient>, assessmentDate: string, immunizationRef: Reference<Immunization>): ImmunizationEvaluation {
  const valid = e.status === 'Valid';
  const code = e.reasons.find((r) => DOSE_REASON[r]);
  const explanation = e.reasons.filter((r) => !DOSE_REASON[r] && r !== 'grace period').join('; ');
  return {
    resourceType: 'ImmunizationEvaluation',
    status: 'completed',
    patient,
    date: assessmentDate,
    targetDisease: targetDisease(e.antigen),
    immunizationEvent: immunizationRef,
    doseStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/immunization-evaluation-dose-status', code: valid ? 'valid' : 'notvalid', display: valid ? 'Valid' : 'Not valid' }], text: e.status },
    ...(!valid || e.reasons.length
      ? { doseStatusReason: [{ ...(code ? { coding: [{ system: IMMDS_STATUS_REASON, code: DOSE_REASON[code] as string }] } : {}), text: explanation || e.reasons.join('; ') || e.status }] }
      : {}),
    ...(e.seriesName ? { series: e.seriesName } : {}),
    ...(e.targetDoseNumber ? { doseNumberPositiveInt: e.targetDoseNumber } : {}),
    ...(e.seriesDoses ? { seriesDosesPositiveInt: e.seriesDoses } : {}),
  };
}

function recommendationOf(g: VaccineGroupForecast, immunizationRef: (id: string) => Reference<Immunization>): ImmunizationRecommendationRecommendation {
  const dates: [string | undefined, string, string][] = [
    [g.earliest, '30981-5', 'Earliest date to give'],
    [g.recommended, '30980-7', 'Date vaccine due'],
    [g.pastDue, '59778-1', 'Date when overdue for immunization'],
    [g.latest, '59777-3', 'Latest date to give immunization'],
  ];
  const status = STATUS[g.status];
  const reasonCode = g.status === 'Complete' ? 'complete' : g.status === 'Aged Out' ? 'maximumAge' : g.status === 'Not Recommended' ? 'notRecommended' : undefined;
  return {
    vaccineCode: [{
      coding: [
        ...(g.groupCvx ? [{ system: CVX, code: g.groupCvx }] : []),
        { system: CDSI_VACCINE_GROUP, code: g.groupName, display: g.groupName },
      ],
      text: g.groupName,
    }],
    targetDisease: { text: g.groupName },
    forecastStatus: { coding: [{ system: IMMDS_FORECAST_STATUS, code: status, display: g.status }], text: g.status },
    ...(reasonCode || g.reason ? { forecastReason: [{ ...(reasonCode ? { coding: [{ system: IMMDS_FORECAST_REASON, code: reasonCode }] } : {}), text: g.reason || g.status }] } : {}),
    ...(dates.some(([d]) => d)
      ? { dateCriterion: dates.filter(([d]) => d).map(([d, code, display]) => ({ code: { coding: [{ system: LOINC, code, display }] }, value: `${d}` })) }
      : {}),
    ...(g.forecastDoseNumber ? { doseNumberPositiveInt: g.forecastDoseNumber } : {}),
    ...(g.seriesName ? { series: g.seriesName } : {}),
    ...(g.supportingDoseIds.length ? { supportingImmunization: g.supportingDoseIds.map(immunizationRef) } : {}),
  };
}

/**
 * The ImmunizationRecommendation of a forecast (IG ImmDSRecommendation): one `recommendation` per vaccine group with
 * the group's CVX code and CDSi name, forecast status and reason, LOINC date criteria present only when CDSi gives
 * the date (the past-due date exactly as CDSi defines it), the forecast dose number and the supporting doses.
 * @param result - the engine's result.
 * @param patient - reference to the patient.
 * @param assessmentDate - forecast date.
 * @param immunizationRef - turns a dose id into a reference.
 * @returns the resource.
 */
export function toRecommendation(result: ForecastResult, patient: Reference<Patient>, assessmentDate: string, immunizationRef: (id: string) => Reference<Immunization>): ImmunizationRecommendation {
  return {
    resourceType: 'ImmunizationRecommendation',
    patient,
    date: assessmentDate,
    authority: { display: 'CDC CDSi (ACIP schedule), supporting data 4.64' },
    recommendation: result.vaccineGroups.map((g) => recommendationOf(g, immunizationRef)),
  };
}
