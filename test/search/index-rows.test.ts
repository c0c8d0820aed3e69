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

describe('index rows', () => {
  test('a value repeated in a resource is stored once', () => {
    const rec: ImmunizationRecommendation = {
      resourceType: 'ImmunizationRecommendation',
      id: 'r1',
      patient: { reference: 'Patient/p1' },
      date: '2026-12-01',
      recommendation: [recommendation('45', 'notComplete'), recommendation('89', 'notComplete'), recommendation('03', 'complete')],
    };
    const rows = extractIndexRows(rec, registry);
    const status = rows.token.filter(([code]) => code === 'status');
    assert.deepEqual(
      status.map(([, system, value, display]) => [system, value, display]).sort(),
      [[STATUS, 'complete', null], [STATUS, 'notComplete', null], [null, null, 'complete'], [null, null, 'notcomplete']].sort(),
    );
    assert.equal(rows.token.filter(([code]) => code === 'vaccine-type').length, 3, 'distinct values are all kept');
  });
});
