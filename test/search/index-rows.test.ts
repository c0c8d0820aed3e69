import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ImmunizationRecommendation } from '@medplum/fhirtypes';
import { buildServices } from '../../src/interactions/services.ts';
import { extractIndexRows } from '../../src/store/search/indexer.ts';

const registry = buildServices({ fhirBaseUrl: 'http://localhost:8080/fhir' }).searchParameters;
const STATUS = 'http://hl7.org/fhir/us/immds/CodeSystem/ForecastStatus';

const recommendation = (cvx: string, status: string) => ({
  vaccineCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: cvx }] }],
  forecastStatus: { coding: [{ system: STATUS, code: status }], text: status },
});

const recommendationsOf = (id: string, recommendation: ImmunizationRecommendation['recommendation']): ImmunizationRecommendation => ({
  resourceType: 'ImmunizationRecommendation', id, patient: { reference: 'Patient/p1' }, date: '2026-12-01', recommendation,
});

describe('index rows', () => {
  test('a value repeated in a resource is stored once', () => {
    const rec = recommendationsOf('r1', [recommendation('45', 'notComplete'), recommendation('89', 'notComplete'), recommendation('03', 'complete')]);
    const rows = extractIndexRows(rec, registry);
    const status = rows.token.filter(([code]) => code === 'status');
    assert.deepEqual(
      status.map(([, system, value, display]) => [system, value, display]).sort(),
      [[STATUS, 'complete', null], [STATUS, 'notComplete', null], [null, null, 'complete'], [null, null, 'notcomplete']].sort(),
    );
    assert.equal(rows.token.filter(([code]) => code === 'vaccine-type').length, 3, 'distinct values are all kept');
  });

  test("a CodeableConcept's text is not stored again when a coding of the same parameter shows it", () => {
    const rec = recommendationsOf('r2', [
      {
        vaccineCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '03' }, { system: 'urn:group', code: 'MMR', display: 'MMR' }], text: 'MMR' }],
        forecastStatus: { coding: [{ system: STATUS, code: 'complete', display: 'Complete' }], text: 'Series complete' },
      },
    ]);
    const rows = extractIndexRows(rec, registry);
    const of = (param: string) => rows.token.filter(([code]) => code === param).map(([, system, value, display]) => [system, value, display]).sort();
    assert.deepEqual(of('vaccine-type'), [['http://hl7.org/fhir/sid/cvx', '03', null], ['urn:group', 'MMR', 'mmr']].sort(), 'the text equals a display: one row');
    assert.deepEqual(of('status'), [[STATUS, 'complete', 'complete'], [null, null, 'series complete']].sort(), 'a text of its own is kept');
  });
});
