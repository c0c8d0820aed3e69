import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ImmunizationEvaluation, ImmunizationRecommendation } from '@medplum/fhirtypes';
import { parseQbp, type QbpQuery } from '../../src/hl7v2/qbp.ts';
import { parseMessage, readMessage } from '../../src/hl7v2/message.ts';
import { buildRspZ31, buildRspZ32, buildRspZ33, buildRspZ42, type RspContext } from '../../src/hl7v2/rsp.ts';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import type { CodeTables } from '../../src/hl7v2/code-tables.ts';
import { mapVxu } from '../../src/hl7v2/vxu-to-fhir.ts';
import { lines, nistMessage, nistText } from './nist.ts';

let tables: CodeTables;
before(async () => { tables = await loadCodeTables(); });
const NOW = new Date('2026-11-30T12:00:00Z');
const crLines = (name: string) => lines(nistText(name).replace(/\r?\n/g, '\r'));
const names = (text: string) => lines(text).map((l) => l[0]);

function query(name: string): QbpQuery {
  const r = parseQbp(nistMessage(name));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.query;
}
function ctx(name: string): RspContext {
  const msg = nistMessage(name);
  const q = parseQbp(msg);
  return { header: msg.header, ...(q.ok ? { qpd: q.query.qpd } : q.qpd ? { qpd: q.qpd } : {}), sendingApp: 'NISTIISAPP', sendingFacility: 'NISTIISFAC', now: NOW, controlId: 'RSP-1', iisAuthority: 'NIST-IIS-MPI' };
}

describe('parseQbp (Z34 / Z44)', () => {
  test('cf-qbp-z34', () => {
    const q = query('nist-cf-qbp-z34');
    assert.equal(q.profile, 'Z34');
    assert.equal(q.queryTag, '37374859');
    assert.deepEqual(q.identifiers.map((i) => [i.system, i.value, i.type?.coding?.[0]?.code]), [['urn:iis:aa:MYEHR', '123456', 'MR']]);
    assert.deepEqual(q.name, { use: 'official', family: 'Child', given: ['Bobbie', 'Q'] });
    assert.equal(q.mothersMaidenName, 'Que');
    assert.equal(q.birthDate, '2005-05-12');
    assert.equal(q.sex, 'male');
    assert.equal(q.address?.city, 'Myfaircity');
    assert.equal(q.quantityLimit, 5);
  });
  test('cf-qbp-z44 and ONC 2015 Z44 queries', () => {
    assert.equal(query('nist-cf-qbp-z44').profile, 'Z44');
    assert.equal(query('nist-cf-qbp-z44').quantityLimit, 1);
    const q1 = query('nist-onc2015-iz-qr-1.1-query-q11-z44');
    assert.deepEqual([q1.queryTag, q1.identifiers[0]?.value, q1.birthDate, q1.mothersMaidenName], ['IZ-1.1-2015', '171122', '2009-02-14', 'Fairlady']);
    const q2 = query('nist-onc2015-iz-qr-2.1-query-q11-z44');
    assert.equal(q2.phone?.value, '406-555-2020');
    const q3 = query('nist-onc2015-iz-qr-3.1-query-q11-z44');
    assert.deepEqual([q3.multipleBirth, q3.birthOrder, q3.sex], [true, 3, 'female']);
    assert.equal(q3.identifiers[0]?.system, 'urn:oid:2.16.840.1.113883.3.72.5.40.5');
    const q4 = query('nist-onc2015-iz-qr-4.1-query-q11-z44');
    assert.equal(q4.mothersMaidenName, undefined);
    const cni = query('nist-cni56-g2-c1-s2-query-registry-for-vaccination-history-and-forecas');
    assert.deepEqual([cni.profile, cni.birthDate, cni.multipleBirth], ['Z44', '2011-11-01', false]);
  });
  test('invalid queries give located errors', () => {
    const bad = (qpd: string) => {
      const r = readMessage(`MSH|^~\\&|A|B|C|D|20200101||QBP^Q11^QBP_Q11|1|P|2.5.1|||ER|AL|||||Z34^CDCPHINVS\r${qpd}\rRCP|I|x^RD&records&HL70126`);
      assert.ok(r.ok);
      const q = parseQbp(r.message);
      assert.equal(q.ok, false);
      return q.issues.filter((i) => i.severity === 'E').map((i) => `${i.segment}-${i.field}:${i.code}`);
    };
    assert.deepEqual(bad('QPD|Z99^Other^CDCPHINVS|T1|1^^^A^MR'), ['QPD-1:103']);
    assert.deepEqual(bad('QPD|Z34^Request Immunization History^CDCPHINVS||1^^^A^MR'), ['QPD-2:101']);
    assert.deepEqual(bad('QPD|Z34^Request Immunization History^CDCPHINVS|T1||Child^Bob'), ['QPD-3:101']);
    assert.deepEqual(bad('QPD|Z34^Request Immunization History^CDCPHINVS|T1|1^^^A^MR|||20051345'), ['QPD-6:102']);
  });
});

describe('RSP builders compared with the NIST RSP examples', () => {
  test('Z32 from the FHIR of a VXU: order, MSH-21, QAK, QPD echo, and a round trip through mapVxu', () => {
    const vxu = mapVxu(nistMessage('nist-onc2015-iz-ad-1.1-send-v04-z22'), tables, { now: NOW });
    const c = ctx('nist-cf-qbp-z34');
    const text = buildRspZ32(c, { patient: vxu.patient, iisId: '9001', relatedPersons: vxu.relatedPersons }, vxu.immunizations.map((i) => i.resource));
    const out = lines(text);
    const expected = crLines('nist-cf-rsp-z32');
    assert.deepEqual(names(text).slice(0, 7), expected.map((l) => l[0]).slice(0, 7));
    assert.deepEqual(names(text).slice(7, 12), ['NK1', 'ORC', 'RXA', 'ORC', 'RXA']);
    assert.equal(out[0]?.[8], 'RSP^K11^RSP_K11');
    assert.equal(out[0]?.[20], 'Z32^CDCPHINVS');
    assert.deepEqual(out[1], ['MSA', 'AA', '793543']);
    assert.deepEqual(out[2], expected[2]);
    assert.deepEqual(out[3], crLines('nist-cf-qbp-z34')[1]);
    assert.match(out[4]?.[3] ?? '', /~9001\^\^\^NIST-IIS-MPI\^SR$/);
    const back = parseMessage(text);
    assert.ok(back.ok);
    const again = mapVxu(back.message, tables, { now: NOW });
    assert.deepEqual(again.issues.filter((i) => i.severity === 'E'), []);
    assert.deepEqual(again.patient.name, vxu.patient.name);
    assert.equal(again.patient.birthDate, vxu.patient.birthDate);
    assert.equal(again.relatedPersons.length, 2);
    assert.deepEqual(again.immunizations.map((i) => i.resource.vaccineCode.coding?.[0]?.code), ['45', '45', '120', '116', '133']);
    const penta = again.immunizations[2]?.resource;
    const orig = vxu.immunizations[0]?.resource;
    for (const k of ['occurrenceDateTime', 'lotNumber', 'expirationDate', 'doseQuantity', 'primarySource', 'fundingSource', 'programEligibility', 'site', 'education', 'performer'] as const) {
      assert.deepEqual(penta?.[k], orig?.[k], k);
    }
    assert.equal(penta?.manufacturer?.identifier?.value, 'PMC');
    assert.equal(penta?.route?.coding?.[0]?.code, 'IM');
    assert.equal(again.immunizations[0]?.resource.reportOrigin?.coding?.[0]?.code, '01');
  });
  test('Z32 leaves out entered-in-error doses and keeps refusals as RE', () => {
    const vxu = mapVxu(nistMessage('nist-onc2015-iz-ad-5.1-send-v04-z22'), tables, { now: NOW });
    const doses = vxu.immunizations.map((i) => i.resource);
    (doses[0] as { status: string }).status = 'entered-in-error';
    const text = buildRspZ32(ctx('nist-cf-qbp-z34'), { patient: vxu.patient }, doses);
    const rxa = lines(text).filter((l) => l[0] === 'RXA');
    assert.equal(rxa.length, 3);
    assert.deepEqual(rxa.map((l) => l[20]), ['CP', 'CP', 'RE']);
    assert.equal(rxa[2]?.[18], '00^Parental decision^NIP002');
  });
  test('Z31: one PID per candidate, PID-1 1..n, cut at the quantity limit (cf-rsp-z31)', () => {
    const a = mapVxu(nistMessage('nist-onc2015-iz-ad-1.1-send-v04-z22'), tables, { now: NOW });
    const b = mapVxu(nistMessage('nist-onc2015-iz-ad-2.1-send-v04-z22'), tables, { now: NOW });
    const c = ctx('nist-cf-qbp-z34');
    const text = buildRspZ31(c, [{ patient: a.patient, relatedPersons: a.relatedPersons.slice(0, 1) }, { patient: b.patient }, { patient: a.patient }], 2);
    const out = lines(text);
    assert.deepEqual(out.map((l) => l[0]), ['MSH', 'MSA', 'QAK', 'QPD', 'PID', 'NK1', 'PID']);
    assert.deepEqual(out.map((l) => l[0]), crLines('nist-cf-rsp-z31').map((l) => l[0]));
    assert.equal(out[0]?.[20], 'Z31^CDCPHINVS');
    assert.deepEqual(out.filter((l) => l[0] === 'PID').map((l) => l[1]), ['1', '2']);
    assert.equal(out[2]?.[2], 'OK');
  });
  test('Z33 NF and TM (iz-qr-3.2, iz-qr-4.2, cf-rsp-z33)', () => {
    for (const [q, r, status] of [
      ['nist-onc2015-iz-qr-3.1-query-q11-z44', 'nist-onc2015-iz-qr-3.2-response-nf-k11-z33', 'NF'],
      ['nist-onc2015-iz-qr-4.1-query-q11-z44', 'nist-onc2015-iz-qr-4.2-response-tm-k11-z33', 'TM'],
      ['nist-cf-qbp-z34', 'nist-cf-rsp-z33', 'TM'],
    ] as const) {
      const out = lines(buildRspZ33(ctx(q), status));
      const expected = crLines(r);
      assert.deepEqual(out.map((l) => l[0]), expected.map((l) => l[0]));
      assert.equal(out[0]?.[20], 'Z33^CDCPHINVS');
      assert.deepEqual(out[1], expected[1]?.slice(0, 3));
      assert.deepEqual(out[2]?.slice(0, 3), expected[2]?.slice(0, 3).map((v, i) => (i === 0 ? v : v)));
      assert.deepEqual(out[3], expected[3]);
    }
  });
  test('Z33 for an invalid query: AE with ERR and QAK AE', () => {
    const r = readMessage('MSH|^~\\&|A|B|C|D|20200101||QBP^Q11^QBP_Q11|Q9|P|2.5.1|||ER|AL|||||Z34^CDCPHINVS\rQPD|Z34^Request Immunization History^CDCPHINVS|T9\rRCP|I|5^RD&records&HL70126');
    assert.ok(r.ok);
    const q = parseQbp(r.message);
    assert.equal(q.ok, false);
    const c: RspContext = { header: r.message.header, ...(q.ok ? {} : q.qpd ? { qpd: q.qpd } : {}), sendingApp: 'IIS', sendingFacility: 'IIS', now: NOW, controlId: 'R9' };
    const out = lines(buildRspZ33(c, 'NF', q.issues));
    assert.deepEqual(out.map((l) => l[0]), ['MSH', 'MSA', 'ERR', 'QAK', 'QPD']);
    assert.deepEqual(out[1], ['MSA', 'AE', 'Q9']);
    assert.equal(out[2]?.[2], 'QPD^1^3^1');
    assert.deepEqual(out[3]?.slice(0, 3), ['QAK', 'T9', 'AE']);
  });
  test('Z42: evaluations per vaccine group under each dose, forecast under RXA 998 (iz-qr-1.2)', () => {
    const vxu = mapVxu(nistMessage('nist-onc2015-iz-ad-1.1-send-v04-z22'), tables, { now: NOW });
    const doses = vxu.immunizations.map((i, n) => ({ ...i.resource, id: `d${n}` }));
    const ev = (id: string, antigen: string, valid: boolean, reason?: string): ImmunizationEvaluation => ({
      resourceType: 'ImmunizationEvaluation', status: 'completed', patient: { reference: 'Patient/p' }, targetDisease: { text: antigen },
      immunizationEvent: { reference: `Immunization/${id}` }, doseStatus: { coding: [{ code: valid ? 'valid' : 'notvalid' }] },
      doseNumberPositiveInt: 1, ...(reason ? { doseStatusReason: [{ text: reason }] } : {}),
    });
    const evaluations = [ev('d0', 'Diphtheria', true), ev('d0', 'Tetanus', true), ev('d0', 'Pertussis', true), ev('d0', 'Hib', false, 'Too Young'), ev('d0', 'Polio', true), ev('d3', 'HepB', true)];
    const rec: ImmunizationRecommendation = {
      resourceType: 'ImmunizationRecommendation', patient: { reference: 'Patient/p' }, date: '2015-10-31',
      recommendation: [{
        vaccineCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '03' }], text: 'MMR' }],
        forecastStatus: { coding: [{ code: 'notComplete', display: 'Not Complete' }] }, doseNumberPositiveInt: 1,
        dateCriterion: [{ code: { coding: [{ code: '30981-5' }] }, value: '2010-06-14' }, { code: { coding: [{ code: '30980-7' }] }, value: '2015-02-14' }],
      }, {
        vaccineCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '10' }], text: 'IPV' }],
        forecastStatus: { coding: [{ code: 'notComplete' }] }, dateCriterion: [{ code: { coding: [{ code: '30980-7' }] }, value: '2010-02-14' }],
      }],
    };
    const text = buildRspZ42(ctx('nist-onc2015-iz-qr-1.1-query-q11-z44'), { patient: vxu.patient }, doses, rec, evaluations);
    const out = lines(text);
    const expected = crLines('nist-onc2015-iz-qr-1.2-response-k11-z42');
    assert.deepEqual(out.slice(0, 5).map((l) => l[0]), expected.slice(0, 5).map((l) => l[0]));
    assert.equal(out[0]?.[20], 'Z42^CDCPHINVS');
    assert.deepEqual(out[1], expected[1]);
    assert.deepEqual(out[2], expected[2]);
    assert.deepEqual(out[3], expected[3]);
    const start = out.findIndex((l) => l[0] === 'RXA' && l[5]?.startsWith('120^'));
    const end = out.findIndex((l, n) => n > start && l[0] === 'ORC');
    const penta = out.slice(start + 1, end).filter((l) => l[0] === 'OBX').map((l) => `${l[4]}:${l[3]?.split('^')[0]}=${l[5]}`);
    assert.equal(penta[0], '1:30963-3=VXC50^Public^CDCPHINVS');
    assert.deepEqual(penta.filter((s) => s.includes('30956-7') || s.includes('59781-5') || s.includes('30982-3')), [
      '6:30956-7=107^DTaP^CVX', '6:59781-5=Y', '7:30956-7=17^Hib^CVX', '7:59781-5=N', '7:30982-3=Too Young', '8:30956-7=89^Polio^CVX', '8:59781-5=Y',
    ]);
    const rxa = out.filter((l) => l[0] === 'RXA');
    const last = rxa[rxa.length - 1] as string[];
    assert.equal(last[5], '998^No vaccine administered^CVX');
    assert.equal(last[20], 'NA');
    const placeholder = out.findIndex((l) => l === last);
    assert.equal(out[placeholder - 1]?.[0], 'ORC');
    const forecast = out.slice(placeholder + 1).map((l) => `${l[4]}:${l[3]?.split('^')[0]}=${l[5]}`);
    assert.deepEqual(forecast, [
      '1:30956-7=03^MMR^CVX', '1:59779-9=VXC16^ACIP^CDCPHINVS', '1:30973-2=1', '1:30981-5=20100614', '1:30980-7=20150214', '1:59783-1=notComplete^Not Complete^immds-forecast-status',
      '2:30956-7=10^IPV^CVX', '2:59779-9=VXC16^ACIP^CDCPHINVS', '2:30980-7=20100214', '2:59783-1=notComplete^^immds-forecast-status',
    ]);
    const codes = new Set(expected.filter((l) => l[0] === 'OBX').map((l) => l[3]?.split('^')[0]));
    for (const l of out.slice(placeholder + 1)) if (!['30973-2', '59783-1'].includes(l[3]?.split('^')[0] ?? '')) assert.ok(codes.has(l[3]?.split('^')[0]), l[3]);
  });
});
