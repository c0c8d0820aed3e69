import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parseTs, toTs, xtnToContact, cxToIdentifier, xpnToName, systemOf, v2NameOf } from '../../src/hl7v2/datatypes.ts';
import { cvxOfNdc, normalizeNdc, visDocumentOf, type CodeTables } from '../../src/hl7v2/code-tables.ts';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import { encodeField, escapeV2, segment } from '../../src/hl7v2/encode.ts';
import { parseMessage } from '../../src/hl7v2/message.ts';

let tables: CodeTables;
before(async () => { tables = await loadCodeTables(); });

describe('v2 data types (CDC IG R1.5 section 4)', () => {
  test('TS/DT to FHIR and back', () => {
    assert.deepEqual(parseTs('20150415'), { date: '2015-04-15', dateTime: '2015-04-15', hasTime: false });
    assert.deepEqual(parseTs('20150624073733.994-0500'), { date: '2015-06-24', dateTime: '2015-06-24T07:37:33.994-05:00', hasTime: true });
    assert.equal(parseTs('201111011105')?.dateTime, '2011-11-01');
    assert.equal(parseTs('201111011105', '-0500')?.dateTime, '2011-11-01T11:05:00-05:00');
    assert.equal(parseTs('201502')?.date, '2015-02');
    for (const bad of ['', '2015-04-15', '20150230', '20151301', '2015041', 'abc', '20150415256000']) assert.equal(parseTs(bad), undefined, bad);
    assert.equal(toTs('2015-04-15'), '20150415');
    assert.equal(toTs('2015-06-24T07:37:33.994-05:00'), '20150624073733-0500');
    assert.equal(toTs('2015-06-24T07:37:33Z'), '20150624073733+0000');
    assert.equal(toTs(undefined), '');
  });
  test('XTN: phone, cell, email', () => {
    assert.deepEqual(xtnToContact([[''], ['PRN'], ['PH'], [''], ['1'], ['203'], ['5551214']]), { system: 'phone', value: '203-555-1214', use: 'home' });
    assert.deepEqual(xtnToContact([[''], ['PRN'], ['CP'], [''], [''], ['406'], ['5558299']]), { system: 'phone', value: '406-555-8299', use: 'mobile' });
    assert.deepEqual(xtnToContact([[''], ['NET'], [''], ['jmg@gmail.com']]), { system: 'email', value: 'jmg@gmail.com', use: 'home' });
    assert.equal(xtnToContact([[''], ['NET']]), undefined);
  });
  test('CX with an OID assigning authority; XPN use', () => {
    assert.deepEqual(cxToIdentifier([['77100'], [''], [''], ['NIST-MPI-1', '2.16.840.1.113883.3.72.5.40.5', 'ISO'], ['MR']]), {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:oid:2.16.840.1.113883.3.72.5.40.5', value: '77100',
    });
    assert.equal(cxToIdentifier([[''], [''], [''], ['X']]), undefined);
    assert.equal(xpnToName([['Doe'], ['Jo'], [''], [''], [''], [''], ['A']])?.use, 'usual');
    assert.equal(xpnToName([['Doe'], ['Jo'], [''], [''], [''], [''], ['M']])?.use, 'maiden');
  });
  test('coding systems both ways', () => {
    assert.equal(systemOf('CVX'), 'http://hl7.org/fhir/sid/cvx');
    assert.equal(systemOf('HL70163'), 'http://terminology.hl7.org/CodeSystem/v2-0163');
    assert.equal(v2NameOf('http://terminology.hl7.org/CodeSystem/v2-0064'), 'HL70064');
    assert.equal(v2NameOf(systemOf('local codes')), 'local codes');
  });
});

describe('code tables from profiles/', () => {
  test('tables are loaded', () => {
    assert.equal(tables.cvx.get('120')?.display, 'DTaP-Hib-IPV');
    assert.ok(tables.mvx.has('PMC'));
    assert.ok(tables.eligibility.has('V04'));
    assert.ok(tables.fundingSource.has('VXC50'));
    assert.ok(tables.nip001.has('00'));
    assert.ok(tables.nip002.has('00'));
    assert.ok(tables.visByCvx.get('140')?.length);
  });
  test('NDC forms and crosswalk', () => {
    assert.equal(normalizeNdc('0006-4681-00'), '00006-4681-00');
    assert.equal(normalizeNdc('49281056005'), '49281-0560-05');
    assert.equal(cvxOfNdc('49281-0560-05', tables), '120');
    assert.equal(cvxOfNdc('0006-4827-00', tables), '21');
    assert.equal(cvxOfNdc('99999-9999-99', tables), undefined);
    assert.equal(tables.cptToCvx.get('90700'), '20');
  });
  test('VIS by vaccine type', () => {
    assert.equal(visDocumentOf('140', '2012-07-02', tables), '253088698300010311120702');
    assert.equal(visDocumentOf('110', '2016-10-31', tables), undefined);
    assert.equal(visDocumentOf('140', '2013-01-01', tables), '253088698300010311120702');
    assert.equal(visDocumentOf('08', '2016-08-01', tables), undefined);
    assert.equal(visDocumentOf('45', '2016-08-01', tables), undefined);
  });
});

describe('encoding replies', () => {
  test('escapes and trailing empties', () => {
    assert.equal(escapeV2('a|b^c&d~e\\f'), 'a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f');
    assert.equal(encodeField({ reps: [['1', '', '', ['A', '2.16', 'ISO'], 'MR'], ['2']] }), '1^^^A&2.16&ISO^MR~2');
    assert.equal(segment('ERR', ['', ['RXA', '1'], '', '', '', '', '', 'x|y']), 'ERR||RXA^1||||||x\\F\\y');
    assert.equal(segment('MSA', ['AA', 'id', '', '']), 'MSA|AA|id');
  });
  test('escaped values read back unchanged', () => {
    const text = ['MSH|^~\\&|A|B|C|D|20200101||VXU^V04^VXU_V04|1|P|2.5.1', segment('PID', ['1', '', [['x'], 'y'], '', ['Merck Sharp & Dohme^~|\\']])].join('\r');
    const r = parseMessage(text);
    assert.ok(r.ok);
    assert.equal(r.message.segments[1]?.fields[5]?.[0]?.[0]?.[0], 'Merck Sharp & Dohme^~|\\');
  });
});
