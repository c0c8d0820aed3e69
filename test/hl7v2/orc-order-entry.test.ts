import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import type { CodeTables } from '../../src/hl7v2/code-tables.ts';
import { parseMessage } from '../../src/hl7v2/message.ts';
import { ENTERER_TYPE, FACILITY_SYSTEM, mapOrderEnterer } from '../../src/hl7v2/orc-to-provenance.ts';
import { mapVxu, type VxuMapping } from '../../src/hl7v2/vxu-to-fhir.ts';
import { nistMessage, nistText } from './nist.ts';

// Issue 6: ORC-10 (entered by), ORC-12 (ordering provider) and ORC-17 (entering organization), field by field.
let tables: CodeTables;
before(async () => {
  tables = await loadCodeTables();
});
const NOW = new Date('2026-11-30T12:00:00Z');
const map = (name: string): VxuMapping => mapVxu(nistMessage(name), tables, { now: NOW });
const OP = { system: 'http://terminology.hl7.org/CodeSystem/v2-0443', code: 'OP', display: 'Ordering Provider' };

/** The iz-ad-1.1 VXU with its first ORC replaced. */
function withOrc(orc: string): VxuMapping {
  const text = nistText('nist-onc2015-iz-ad-1.1-send-v04-z22').replace(/\r\n|\n/g, '\r');
  const parsed = parseMessage(text.replace(/^ORC\|[^\r]*/m, orc));
  if (!parsed.ok) throw new Error('unparseable');
  return mapVxu(parsed.message, tables, { now: NOW });
}

describe('ORC order entry fields (CDC IG R1.5 §6 ORC; spec §2)', () => {
  test('iz-ad-1.1: ORC-12 is performer OP; ORC-10 is the enterer on behalf of the ORC-17 facility', () => {
    const [dose] = map('nist-onc2015-iz-ad-1.1-send-v04-z22').immunizations;
    const op = dose?.resource.performer?.find((p) => p.function?.coding?.[0]?.code === 'OP');
    assert.deepEqual(op, {
      function: { coding: [OP] },
      actor: { type: 'Practitioner', identifier: { system: 'urn:iis:aa:NIST-PI-1', value: '654' }, display: 'Wilma Elizabeth Thomas' },
    });
    assert.deepEqual(dose?.enteredBy, {
      type: ENTERER_TYPE,
      who: { type: 'Practitioner', identifier: { system: 'urn:iis:aa:NIST-PI-1', value: '7824' }, display: 'Lily Suzanne Jackson' },
      onBehalfOf: { type: 'Organization', identifier: { system: FACILITY_SYSTEM, value: 'NISTEHRFAC' }, display: 'NISTEHRFacility' },
    });
  });

  test('CNI g2-c3-s1: names without ids (ORC-10 ^Martinez^J, ORC-12 ^Smith^F) and ORC-17 OP^Oceanview Pediatrics', () => {
    const [dose] = map('nist-cni56-g2-c3-s1-transmit-the-immunization-report-to-the-immunizati').immunizations;
    assert.deepEqual(dose?.resource.performer?.find((p) => p.function?.coding?.[0]?.code === 'OP')?.actor, { type: 'Practitioner', display: 'F Smith' });
    assert.deepEqual(dose?.enteredBy?.who, { type: 'Practitioner', display: 'J Martinez' });
    assert.deepEqual(dose?.enteredBy?.onBehalfOf, { type: 'Organization', identifier: { system: FACILITY_SYSTEM, value: 'OP' }, display: 'Oceanview Pediatrics' });
  });

  test('ORC-17 alone: the organization is the enterer', () => {
    const [dose] = withOrc('ORC|RE||197023^NIST-AA-IZ-2||||||||||||||NISTEHRFAC^NISTEHRFacility^HL70362').immunizations;
    assert.deepEqual(dose?.enteredBy, { type: ENTERER_TYPE, who: { type: 'Organization', identifier: { system: FACILITY_SYSTEM, value: 'NISTEHRFAC' }, display: 'NISTEHRFacility' } });
    assert.equal(dose?.resource.performer?.some((p) => p.function?.coding?.[0]?.code === 'OP'), false);
  });

  test('ORC-10 alone: no onBehalfOf; ORC-12 alone: performer OP only', () => {
    const [a] = withOrc('ORC|RE||1^X|||||||9^Clerk^Myron').immunizations;
    assert.deepEqual(a?.enteredBy, { type: ENTERER_TYPE, who: { type: 'Practitioner', identifier: { value: '9' }, display: 'Myron Clerk' } });
    const [b] = withOrc('ORC|RE||1^X|||||||||^Orderwriter^Sally^^^^^^^^^^^^^^^^^^MD').immunizations;
    assert.equal(b?.enteredBy, undefined);
    assert.deepEqual(b?.resource.performer?.find((p) => p.function?.coding?.[0]?.code === 'OP')?.actor, { type: 'Practitioner', display: 'Sally Orderwriter' });
  });

  test('an ORC-17 from another table keeps its coding system; empty ORC gives nothing', () => {
    const orc = parseMessage('MSH|^~\\&|A|B|C|D|20250101||VXU^V04^VXU_V04|1|P|2.5.1\rORC|RE||1^X||||||||||||||F1^Clinic^LOCAL\rORC|RE');
    assert.ok(orc.ok);
    const [withLocal, empty] = orc.message.segments.filter((s) => s.name === 'ORC');
    assert.deepEqual(mapOrderEnterer(withLocal), { type: ENTERER_TYPE, who: { type: 'Organization', identifier: { system: 'urn:iis:aa:LOCAL', value: 'F1' }, display: 'Clinic' } });
    assert.equal(mapOrderEnterer(empty), undefined);
  });
});
