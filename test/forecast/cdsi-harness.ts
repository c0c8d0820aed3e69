/**
 * Acceptance harness for the CDC CDSi test cases (CSV exports, RFC 4180): parses cases, maps CSV
 * labels to CDSi names (spec §8) and compares the engine's output field by field.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { forecastPatient } from '../../src/forecast/forecast-patient.ts';
import type { SupportingData } from '../../src/forecast/supporting-data-types.ts';
import type { ForecastInput, ForecastResult } from '../../src/forecast/types.ts';

/** CSV `Vaccine_Group` label to CDSi vaccine group name (spec §8). */
export const GROUP_LABELS: Record<string, string> = {
  dtap: 'DTaP/Tdap/Td', pol: 'Polio', ipol: 'Polio', hib: 'Hib', pcv: 'Pneumococcal', pneumococcal: 'Pneumococcal',
  mcv: 'Meningococcal', meningococcal: 'Meningococcal', menb: 'Meningococcal B', 'meningococcal b': 'Meningococcal B',
  var: 'Varicella', rota: 'Rotavirus', flu: 'Influenza', zoster: 'Zoster',
};

/** Expected outcome of one case. */
export interface ExpectedOutcome {
  status: string;
  forecastNumber: string;
  earliest: string;
  recommended: string;
  pastDue: string;
  doses: { status: string; reason: string }[];
  guidance: string;
}

/** One CDC test case. */
export interface CdsiCase {
  id: string;
  name: string;
  file: string;
  group: string;
  label: string;
  testType: string;
  input: ForecastInput;
  expected: ExpectedOutcome;
}

/** Outcome of one case. */
export interface CaseResult {
  testCase: CdsiCase;
  pass: boolean;
  differences: string[];
}

/**
 * Normalises a value for comparison: trimmed, spaces collapsed, lower case.
 * @param value - raw text.
 * @returns normalised text.
 */
export function normalize(value: string | undefined): string {
  return (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Maps a CSV vaccine-group label to the CDSi name.
 * @param label - CSV label.
 * @returns CDSi vaccine group name.
 */
export function mapGroupLabel(label: string): string {
  return GROUP_LABELS[normalize(label)] ?? label.trim();
}

function genderOf(value: string): ForecastInput['gender'] {
  const g = normalize(value);
  return g.startsWith('f') ? 'female' : g.startsWith('m') ? 'male' : 'unknown';
}

/**
 * Reads one CSV file of test cases.
 * @param path - the CSV path.
 * @returns the cases in file order.
 */
export function loadCases(path: string): CdsiCase[] {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Record<string, string>[];
  const file = path.split('/').pop() ?? path;
  return rows.filter((r) => (r['CDC_Test_ID'] ?? '').trim() !== '').map((r) => {
    const get = (k: string): string => (r[k] ?? '').trim();
    const doses: ForecastInput['doses'] = [];
    const expectedDoses: ExpectedOutcome['doses'] = [];
    for (let n = 1; n <= 7; n += 1) {
      const date = get(`Date_Administered_${n}`);
      if (!date) continue;
      const mvx = get(`MVX_${n}`);
      doses.push({ id: String(n), date, cvx: get(`CVX_${n}`), ...(mvx ? { mvx } : {}) });
      expectedDoses.push({ status: get(`Evaluation_Status_${n}`), reason: get(`Evaluation_Reason_${n}`) });
    }
    const observations: ForecastInput['observations'] = [];
    for (let n = 1; n <= 3; n += 1) {
      const code = get(`Observation_Code_${n}`);
      const date = get(`Observation_Date_${n}`);
      if (code) observations.push({ code: code.padStart(3, '0'), ...(date ? { date } : {}) });
    }
    const label = get('Vaccine_Group');
    return {
      id: get('CDC_Test_ID'), name: get('Test_Case_Name'), file, label, group: mapGroupLabel(label),
      testType: get('Forecast_Test_Type') || get('Evaluation_Test_Type'),
      input: { birthDate: get('DOB'), gender: genderOf(get('gender') || get('Gender')), assessmentDate: get('Assessment_Date'), doses, observations },
      expected: {
        status: get('Series_Status'), forecastNumber: get('Forecast_#') === '-' ? '' : get('Forecast_#'),
        earliest: get('Earliest_Date'), recommended: get('Recommended_Date'), pastDue: get('Past_Due_Date'),
        doses: expectedDoses, guidance: get('Administrative_Guidance'),
      },
    };
  });
}

function doseStatus(result: ForecastResult, doseId: string, group: string): string | undefined {
  const mine = result.evaluations.filter((e) => e.doseId === doseId);
  const inGroup = mine.filter((e) => e.vaccineGroup === group);
  const list = inGroup.length > 0 ? inGroup : mine;
  if (list.length === 0) return undefined;
  // A multi-antigen dose counts for the group when it is valid for at least one of its antigens.
  return (list.find((e) => e.status === 'Valid') ?? list[0])?.status;
}

/**
 * Runs one case and compares status, forecast number, dates and dose statuses.
 * @param testCase - the case.
 * @param data - supporting data.
 * @returns the comparison result.
 */
export function runCase(testCase: CdsiCase, data: SupportingData): CaseResult {
  const result = forecastPatient(testCase.input, data);
  const differences: string[] = [];
  const forecast = result.vaccineGroups.find((g) => g.groupName === testCase.group);
  const exp = testCase.expected;
  const compare = (field: string, expected: string, actual: string | undefined): void => {
    if (normalize(expected) !== normalize(actual)) differences.push(`${field}: expected "${expected}", got "${actual ?? ''}"`);
  };
  compare('status', exp.status, forecast?.status ?? '(no forecast)');
  const due = forecast?.status === 'Not Complete';
  compare('forecast #', exp.forecastNumber, due ? String(forecast.forecastDoseNumber ?? '') : '');
  compare('earliest', exp.earliest, due ? forecast.earliest : '');
  compare('recommended', exp.recommended, due ? forecast.recommended : '');
  compare('past due', exp.pastDue, due ? forecast.pastDue : '');
  exp.doses.forEach((d, i) => {
    const actual = doseStatus(result, String(i + 1), testCase.group);
    if (normalize(d.status) !== normalize(actual)) {
      const reasons = result.evaluations.filter((e) => e.doseId === String(i + 1)).map((e) => `${e.antigen}:${e.status}[${e.reasons.join('; ')}]`).join(' ');
      differences.push(`dose ${i + 1}: expected "${d.status}${d.reason ? ` (${d.reason})` : ''}", got "${actual ?? ''}" ${reasons}`);
    }
  });
  return { testCase, pass: differences.length === 0, differences };
}

/** A case known to contradict the 4.64 supporting data, with the evidence. */
export interface StaleCase {
  id: string;
  evidence: string;
}

/**
 * Reads the explicit list of known-stale cases.
 * @param path - JSON file path.
 * @returns the list.
 */
export function loadStaleCases(path: string): StaleCase[] {
  return JSON.parse(readFileSync(path, 'utf8')) as StaleCase[];
}
