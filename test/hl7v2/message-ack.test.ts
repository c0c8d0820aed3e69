import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { checkHeader, parseMessage, readMessage } from '../../src/hl7v2/message.ts';
import { ackCodeOf, buildAck } from '../../src/hl7v2/ack.ts';
import { hl7Issue } from '../../src/hl7v2/issues.ts';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import type { CodeTables } from '../../src/hl7v2/code-tables.ts';
import { mapVxu } from '../../src/hl7v2/vxu-to-fhir.ts';
import { lines, nistMessage, nistText } from './nist.ts';

let tables: CodeTables;
before(async () => { tables = await loadCodeTables(); });
const NOW = new Date('2026-11-30T12:00:00Z');
const OPTS = { sendingApp: 'OPENIIS', sendingFacility: 'OPENIIS', now: NOW, controlId: 'ACK-1' };
const VXU = nistText('nist-onc2015-iz-ad-1.1-send-v04-z22');

describe('parseMessage / readMessage (CDC IG R1.5 MSH)', () => {
  test('header facts', () => {
    const h = nistMessage('nist-onc2015-iz-ad-8.1-send-v04-z22').header;
    assert.deepEqual(h.sendingApplication, { namespaceId: 'NISTEHRAPP', universalId: '2.16.840.1.113883.3.72.5.40.1', universalIdType: 'ISO' });
    assert.equal(h.receivingFacility.namespaceId, 'NISTIISFAC');
    assert.deepEqual([h.messageType, h.triggerEvent, h.messageStructure, h.controlId, h.processingId, h.version, h.profileId],
      ['VXU', 'V04', 'VXU_V04', 'NIST-IZ-AD-8.1_Send_V04_Z22', 'P', '2.5.1', 'Z22']);
  });
  test('CRLF, LF and CR separators, MLLP framing and trailing whitespace give the same segments', () => {
    const cr = VXU.replace(/\r\n|\n/g, '\r');
    const variants = [VXU, cr, cr.replace(/\r/g, '\n'), cr.replace(/\r/g, '\r\n'), `\x0b${cr}\x1c\r`, `${cr}\r\n  \n`];
    const counts = variants.map((v) => { const r = parseMessage(v); return r.ok ? r.message.segments.length : -1; });
    assert.deepEqual(counts, new Array(variants.length).fill(34));
  });
  test('bytes: UTF-8, or Latin-1 when not valid UTF-8', () => {
    const text = 'MSH|^~\\&|A|B|C|D|20200101||VXU^V04^VXU_V04|1|P|2.5.1\rPID|1||1^^^X^MR||Pe\u00f1a^Jos\u00e9';
    for (const enc of ['utf8', 'latin1'] as const) {
      const r = parseMessage(new Uint8Array(Buffer.from(text, enc)));
      assert.ok(r.ok, enc);
      assert.equal(r.message.segments[1]?.fields[5]?.[0]?.[1]?.[0], 'Jos\u00e9');
    }
  });
  test('escapes are decoded', () => {
    const r = parseMessage('MSH|^~\\&|A|B|C|D|20200101||VXU^V04^VXU_V04|1|P|2.5.1\rPID|1||1^^^X^MR||Merck Sharp \\T\\ Dohme^A\\S\\B');
    assert.ok(r.ok);
    assert.equal(r.message.segments[1]?.fields[5]?.[0]?.[0]?.[0], 'Merck Sharp & Dohme');
    assert.equal(r.message.segments[1]?.fields[5]?.[0]?.[1]?.[0], 'A^B');
  });
});

describe('malformed input gives issues, never a throw', () => {
  const cases: [string, string | Uint8Array, string][] = [
    ['empty', '', '100'],
    ['garbage bytes', new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x13, 0x07]), '100'],
    ['random text', 'hello world', '100'],
    ['UTF-16 encoded', new Uint8Array(Buffer.from(VXU, 'utf16le')), '100'],
    ['wrong delimiters', VXU.replace(/\|/g, '#'), '100'],
    ['other encoding characters', VXU.replace('^~\\&', '^~\\#'), '100'],
    ['truncated MSH', 'MSH|^~\\&|A|B', '101'],
    ['MSH without MSH-10', 'MSH|^~\\&|A|B|C|D|20200101||VXU^V04^VXU_V04||P|2.5.1', '101'],
    ['MSH without MSH-12', 'MSH|^~\\&|A|B|C|D|20200101||VXU^V04^VXU_V04|1|P|', '101'],
    ['MSH without trigger event', 'MSH|^~\\&|A|B|C|D|20200101||VXU|1|P|2.5.1', '101'],
    ['bad segment id', 'MSH|^~\\&|A|B|C|D|20200101||VXU^V04^VXU_V04|1|P|2.5.1\rpid|1', '100'],
    ['two MSH', `${VXU}\r${VXU}`, '100'],
  ];
  for (const [name, raw, code] of cases) {
    test(name, () => {
      const r = readMessage(raw);
      assert.equal(r.ok, false);
      assert.equal(r.issues[0]?.code, code);
      assert.equal(r.issues[0]?.severity, 'E');
      const ack = buildAck(r.ok ? undefined : r.header, r.issues, OPTS);
      assert.equal(lines(ack)[1]?.[1], 'AR');
    });
  }
  test('truncated segments in a VXU are reported, not thrown', () => {
    const r = readMessage('MSH|^~\\&|A|B|C|D|20200101||VXU^V04^VXU_V04|1|P|2.5.1\rPID|1\rORC\rRXA|0|1\rRXR\rOBX|1|CE');
    assert.ok(r.ok);
    const m = mapVxu(r.message, tables, { now: NOW });
    const at = m.issues.filter((i) => i.severity === 'E').map((i) => `${i.segment}-${i.field}:${i.code}`);
    assert.deepEqual(at, ['PID-3:101', 'PID-5:101', 'PID-7:101', 'RXA-5:101', 'RXA-3:101']);
    assert.equal(m.immunizations[0]?.rejected, true);
  });
});

describe('checkHeader: 200 / 201 / 202 / 203', () => {
  const header = nistMessage('nist-onc2015-iz-ad-1.1-send-v04-z22').header;
  test('supported', () => assert.deepEqual(checkHeader(header), []));
  test('unsupported type, event, processing id, version', () => {
    assert.equal(checkHeader({ ...header, messageType: 'ADT' })[0]?.code, '200');
    assert.equal(checkHeader({ ...header, triggerEvent: 'V03' })[0]?.code, '201');
    assert.equal(checkHeader({ ...header, processingId: 'X' })[0]?.code, '202');
    const v = checkHeader({ ...header, version: '2.3.1' });
    assert.deepEqual(v.map((i) => [i.code, i.segment, i.field]), [['203', 'MSH', 12]]);
  });
});

describe('buildAck (Z23)', () => {
  test('clean VXU: AA, MSA-2 echoes MSH-10, MSH swaps sender and receiver (compare iz-ad-1.2)', () => {
    const msg = nistMessage('nist-onc2015-iz-ad-1.1-send-v04-z22');
    const m = mapVxu(msg, tables, { now: NOW });
    const ack = lines(buildAck(msg.header, m.issues, OPTS));
    const expected = lines(nistText('nist-onc2015-iz-ad-1.2-receive-ack-z23').replace(/\r?\n/g, '\r'));
    assert.deepEqual(ack.map((l) => l[0]), expected.map((l) => l[0]));
    assert.deepEqual(ack[1], expected[1]);
    const msh = ack[0] as string[];
    assert.deepEqual([msh[4], msh[5], msh[8], msh[11], msh[14], msh[15], msh[20], msh[21], msh[22]], ['NISTEHRAPP', 'NISTEHRFAC', 'ACK^V04^ACK', '2.5.1', 'NE', 'NE', 'Z23^CDCPHINVS', 'NISTIISFAC', 'NISTEHRFAC']);
  });
  for (const n of [1, 2, 3, 4, 5, 6]) {
    test(`iz-ad-${n}.1 gets the MSA of iz-ad-${n}.2 (AA, no ERR)`, () => {
      const msg = nistMessage(`nist-onc2015-iz-ad-${n}.1-send-v04-z22`);
      const m = mapVxu(msg, tables, { now: NOW });
      const ack = lines(buildAck(msg.header, m.issues, OPTS));
      const expected = lines(nistText(`nist-onc2015-iz-ad-${n}.2-receive-ack-z23`).replace(/\r?\n/g, '\r'));
      assert.deepEqual(ack.map((l) => l[0]), expected.map((l) => l[0]));
      assert.deepEqual(ack[1]?.slice(0, 3), expected[1]?.slice(0, 3));
    });
  }
  test('unsupported version: AR with ERR on MSH-12 code 203 (compare iz-ad-10.2)', () => {
    const msg = nistMessage('nist-onc2015-iz-ad-10.1-send-v04-z22');
    const issues = checkHeader({ ...msg.header, version: '2.3' });
    const ack = lines(buildAck(msg.header, issues, OPTS));
    const expected = lines(nistText('nist-onc2015-iz-ad-10.2-receive-ack-z23').replace(/\r?\n/g, '\r'));
    assert.deepEqual(ack[1], expected[1]);
    assert.equal(ack[2]?.[3]?.split('^')[0], expected[2]?.[3]?.split('^')[0]);
    assert.equal(ack[2]?.[4], 'E');
    assert.equal(ack[2]?.[2], 'MSH^1^12^1^1');
  });
  test('unknown CVX: AE, ERR at RXA^1^5^1^1 severity E with 0533 code 5 (compare iz-ad-7.2)', () => {
    const raw = nistText('nist-onc2015-iz-ad-7.1-send-v04-z22').replace('121^zoster live^CVX', '999999^bogus^CVX').replace(/\|121\^[^|]*\^CVX/, '|999999^bogus^CVX');
    const r = readMessage(raw);
    assert.ok(r.ok);
    const m = mapVxu(r.message, tables, { now: NOW });
    const ack = lines(buildAck(r.message.header, m.issues, OPTS));
    const expected = lines(nistText('nist-onc2015-iz-ad-7.2-receive-ack-z23').replace(/\r?\n/g, '\r'));
    assert.equal(ack[1]?.[1], 'AE');
    assert.equal(ack[1]?.[2], expected[1]?.[2]);
    assert.equal(ack[2]?.[2], expected[2]?.[2]);
    assert.equal(ack[2]?.[4], 'E');
    assert.equal(ack[2]?.[5], expected[2]?.[5]);
    assert.equal(ack[2]?.[3], '103^Table value not found^HL70357');
  });
  test('unknown site: AE with a W on RXR-2 (compare iz-ad-8.2 / 9.2)', () => {
    const raw = nistText('nist-onc2015-iz-ad-9.1-send-v04-z22').replace(/\|(RD\^Right|LD\^Left) Deltoid\^HL70163/g, '|XX^Nowhere^HL70163');
    const r = readMessage(raw);
    assert.ok(r.ok);
    const m = mapVxu(r.message, tables, { now: NOW });
    const ack = lines(buildAck(r.message.header, m.issues, OPTS));
    assert.equal(ack[1]?.[1], 'AE');
    const errs = ack.filter((l) => l[0] === 'ERR');
    assert.ok(errs.length >= 1);
    for (const e of errs) {
      assert.equal(e[4], 'W');
      assert.match(e[2] ?? '', /^RXR\^\d\^2\^1\^1$/);
      assert.equal(e[5], '5^Table value not found^HL70533');
    }
    assert.equal(m.immunizations.every((i) => !i.rejected), true);
  });
  test('MSA-1 rules', () => {
    const w = hl7Issue({ segment: 'RXR', sequence: 1, field: 2 }, '103', 'W', 'w');
    const e = hl7Issue({ segment: 'RXA', sequence: 1, field: 5 }, '103', 'E', 'e');
    const i = hl7Issue({ segment: 'OBX', sequence: 1, field: 3 }, '103', 'I', 'i');
    const ar = hl7Issue({ segment: 'MSH', sequence: 1, field: 12 }, '203', 'E', 'v');
    assert.deepEqual([ackCodeOf([]), ackCodeOf([i]), ackCodeOf([w]), ackCodeOf([e, i]), ackCodeOf([ar, e])], ['AA', 'AA', 'AE', 'AE', 'AR']);
  });
  test('future dose and dose before birth are errors on that RXA', () => {
    const raw = VXU.replace('RXA|0|1|20150416|', 'RXA|0|1|20991231|').replace('RXA|0|1|20150515|', 'RXA|0|1|20100101|');
    const r = readMessage(raw);
    assert.ok(r.ok);
    const m = mapVxu(r.message, tables, { now: NOW });
    const errs = m.issues.filter((x) => x.severity === 'E').map((x) => `${x.segment}^${x.sequence}^${x.field}:${x.appCode}`);
    assert.deepEqual(errs, ['RXA^4^3:1', 'RXA^5^3:1']);
    assert.deepEqual(m.immunizations.map((x) => x.rejected), [false, false, false, true, true]);
  });
  test('user messages carry no patient data', () => {
    const raw = VXU.replace('|M||1002-5', '|Q||9999-9').replace('Richardson^Russell', 'Richardson^Russell');
    const r = readMessage(raw);
    assert.ok(r.ok);
    const m = mapVxu(r.message, tables, { now: NOW });
    assert.ok(m.issues.length >= 2);
    for (const x of m.issues) assert.doesNotMatch(x.message, /Richardson|Russell|Billington|Blount|5557690/);
  });
});
