import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findEmptyValues } from '../../src/fhir/empty-values.ts';

describe('empty values (R4 JSON)', () => {
  test('blank strings, empty objects and empty arrays are reported with their location', () => {
    const issues = findEmptyValues({ resourceType: 'Patient', name: [{ family: ' ', given: [] }], identifier: [{ value: 'x', period: {} }] } as never);
    assert.deepEqual(issues.map((i) => i.expression?.[0]).sort(), ['Patient.identifier[0].period', 'Patient.name[0].family', 'Patient.name[0].given']);
  });
  test('a normal resource has none', () => {
    assert.deepEqual(findEmptyValues({ resourceType: 'Patient', name: [{ family: 'A', given: ['B'] }], active: false } as never), []);
  });
});
