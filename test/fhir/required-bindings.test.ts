import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { loadR4Definitions } from '../../src/fhir/definitions.ts';
import { R4Validator } from '../../src/fhir/r4-validator.ts';

let validator: R4Validator;
before(() => {
  loadR4Definitions();
  validator = new R4Validator();
});

const expressions = (r: Resource): string[] => validator.validate(r).base.flatMap((i) => i.expression ?? []);

describe('required bindings (R4 terminologies.html#required)', () => {
  test('codes on resources: Immunization.status, Patient.gender', () => {
    assert.deepEqual(expressions({ resourceType: 'Immunization', status: 'bogus', vaccineCode: { text: 'x' }, patient: { reference: 'Patient/1' }, occurrenceDateTime: '2020-01-01' } as never), ['Immunization.status']);
    assert.deepEqual(expressions({ resourceType: 'Patient', gender: 'x' } as never), ['Patient.gender']);
    assert.deepEqual(expressions({ resourceType: 'Patient', gender: 'female' }), []);
  });

  test('codes inside datatypes and backbone elements, with array positions', () => {
    const r = {
      resourceType: 'Patient',
      identifier: [{ use: 'usual', value: 'a' }, { use: 'bogus', value: 'b' }],
      telecom: [{ system: 'pager-ish', value: '1' }],
      contact: [{ gender: 'nope', name: { family: 'x' } }],
      deceasedBoolean: false,
    } as never;
    assert.deepEqual(expressions(r).sort(), ['Patient.contact[0].gender', 'Patient.identifier[1].use', 'Patient.telecom[0].system']);
  });

  test('value sets that need an external terminology are not enforced', () => {
    // Patient.communication.language is bound to BCP-47 (preferred / extensible in R4), and UCUM units are not expanded.
    const r = { resourceType: 'Patient', communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'xx-YY' }] } }] } as never;
    assert.deepEqual(expressions(r), []);
  });
});
