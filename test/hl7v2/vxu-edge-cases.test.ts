import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import type { CodeTables } from '../../src/hl7v2/code-tables.ts';
import { parseMessage } from '../../src/hl7v2/message.ts';
import { mapVxu, type VxuMapping } from '../../src/hl7v2/vxu-to-fhir.ts';

let tables: CodeTables;
before(async () => { tables = await loadCodeTables(); });
const NOW = new Date('2026-11-30T12:00:00Z');
const MSH = 'MSH|^~\\&|EHR|CLINIC|IIS|STATE|20200101120000-0500||VXU^V04^VXU_V04|C1|P|2.5.1|||ER|AL|||||Z22^CDCPHINVS';
const PID = 'PID|1||A1^^^EHR^MR||Doe^Jane^^^^^L~Roe^Janie^^^^^A||20190101|F';

function vxu(...segments: string[]): VxuMapping {
  const r = parseMessage([MSH, ...segments].join('\r'));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return mapVxu(r.message, tables, { now: NOW });
}
/** A segment from field numbers to values. */
const seg = (name: string, fields: Record<number, string>): string => {
  const n = Math.max(...Object.keys(fields).map(Number));
  return [name, ...Array.from({ length: n }, (_, i) => fields[i + 1] ?? '')].join('|');
};
const where = (m: VxuMapping) => m.issues.map((i) => `${i.severity} ${i.code} ${i.segment}^${i.sequence}^${i.field ?? ''}`);

describe('VXU edge cases (CDC IG R1.5 Z22)', () => {
  test('CPT code is mapped to CVX with the cpt-to-cvx ConceptMap, keeping the CPT coding', () => {
    const m = vxu(PID, 'ORC|RE||1^EHR', 'RXA|0|1|20200101||90700^DTaP^CPT|0.5|mL^^UCUM||00^^NIP001||||||L1||PMC^^MVX|||CP|A');
    assert.deepEqual(m.issues, []);
    assert.deepEqual(m.immunizations[0]?.resource.vaccineCode.coding?.map((c) => [c.system, c.code]), [
      ['http://hl7.org/fhir/sid/cvx', '20'], ['http://www.ama-assn.org/go/cpt', '90700'],
    ]);
    assert.deepEqual(m.patient.name?.map((n) => n.use), ['official', 'usual']);
  });
  test('unknown NDC is a 103 error on RXA-5 and rejects only that record', () => {
    const m = vxu(PID, 'ORC|RE||1^EHR', 'RXA|0|1|20200101||99999-9999-99^X^NDC|0.5', 'ORC|RE||2^EHR', 'RXA|0|1|20200101||20^DTaP^CVX|0.5');
    assert.deepEqual(where(m), ['E 103 RXA^1^5']);
    assert.equal(m.issues[0]?.component, 1);
    assert.equal(m.issues[0]?.appCode, '5');
    assert.deepEqual(m.immunizations.map((i) => i.rejected), [true, false]);
  });
  test('warnings drop the value: MVX, route, site, completion, funding, eligibility, amount, sex', () => {
    const m = vxu(
      'PID|1||A1^^^EHR^MR||Doe^Jane^^^^^L||20190101|Z',
      'ORC|RE||1^EHR', 'RXA|0|1|20200101||20^DTaP^CVX|lots|mL^^UCUM||00^^NIP001||||||L1||ZZZ^^MVX|||XX|A',
      'RXR|C99999^Bogus^NCIT|QQ^Bogus^HL70163',
      'OBX|1|CE|30963-3^Funding^LN|1|NOPE^X^CDCPHINVS||||||F', 'OBX|2|CE|64994-7^Elig^LN|2|V99^X^HL70064||||||F',
      'OBX|3|CE|99999-9^Unknown^LN|3|X^Y^L||||||F',
    );
    assert.deepEqual(where(m), ['W 103 PID^1^8', 'W 103 RXA^1^20', 'W 102 RXA^1^6', 'W 103 RXA^1^17', 'W 103 RXR^1^1', 'W 103 RXR^1^2', 'W 103 OBX^1^5', 'W 103 OBX^2^5', 'I 103 OBX^3^3']);
    const imm = m.immunizations[0]?.resource;
    assert.equal(m.immunizations[0]?.rejected, false);
    for (const k of ['manufacturer', 'route', 'site', 'fundingSource', 'programEligibility', 'doseQuantity'] as const) assert.equal(imm?.[k], undefined, k);
    assert.equal(imm?.status, 'completed');
    assert.equal(m.patient.gender, 'unknown');
  });
  test('RXA 998 carries evidence of immunity and contraindications as Observations, no Immunization', () => {
    const m = vxu(PID, 'ORC|RE||9999^EHR', 'RXA|0|1|20200101||998^No vaccine administered^CVX|999||||||||||||||NA|A',
      'OBX|1|CE|59784-9^Disease with presumed immunity^LN|1|38907003^Varicella infection^SCT||||||F|||20200101',
      'OBX|2|CE|30945-0^Contraindication^LN|2|VXC18^Allergy to baker\'s yeast^CDCPHINVS||||||F|||20200101');
    assert.deepEqual(m.issues, []);
    assert.equal(m.immunizations.length, 0);
    assert.deepEqual(m.patientObservations.map((o) => [o.code.coding?.[0]?.code, o.valueCodeableConcept?.coding?.[0]?.code, o.valueCodeableConcept?.coding?.[0]?.system, o.effectiveDateTime]), [
      ['59784-9', '38907003', 'http://snomed.info/sct', '2020-01-01'], ['30945-0', 'VXC18', 'urn:oid:2.16.840.1.114222.4.5.274', '2020-01-01'],
    ]);
  });
  test('segment order problems: RXA without ORC, OBX before any RXA, missing PID', () => {
    const m = vxu(PID, 'OBX|1|CE|30963-3^F^LN|1|VXC50^P^CDCPHINVS', 'RXA|0|1|20200101||20^DTaP^CVX|0.5');
    assert.deepEqual(where(m), ['W 100 OBX^1^', 'W 100 RXA^1^']);
    assert.equal(m.immunizations.length, 1);
    const none = vxu('ORC|RE||1^EHR', 'RXA|0|1|20200101||20^DTaP^CVX');
    assert.deepEqual(where(none), ['E 100 PID^1^']);
    assert.deepEqual(where(vxu(PID, PID)), ['E 100 PID^2^']);
  });
  test('invalid dates: birth date, administration date, death date, expiration', () => {
    const m = vxu(seg('PID', { 1: '1', 3: 'A1^^^EHR^MR', 5: 'Doe^Jane^^^^^L', 7: '20191332', 8: 'F', 29: '2020xx01' }),
      'ORC|RE||1^EHR', seg('RXA', { 1: '0', 2: '1', 3: '2020-01-01', 5: '20^DTaP^CVX', 6: '0.5', 16: '20xx' }));
    assert.deepEqual(where(m), ['E 102 PID^1^7', 'W 102 PID^1^29', 'E 102 RXA^1^3', 'W 102 RXA^1^16']);
    const future = vxu('PID|1||A1^^^EHR^MR||Doe^Jane^^^^^L||20991231|F');
    assert.deepEqual(where(future), ['E 999 PID^1^7']);
  });
  test('refusal keeps RXA-18 and status not-done; NA is not-done without reason; PA is subpotent', () => {
    const m = vxu(PID, 'ORC|RE||9999^EHR', seg('RXA', { 1: '0', 2: '1', 3: '20200101', 5: '20^DTaP^CVX', 6: '999', 18: '00^Parental decision^NIP002', 20: 'RE' }),
      'ORC|RE||2^EHR', seg('RXA', { 1: '0', 2: '1', 3: '20200101', 5: '20^DTaP^CVX', 6: '999', 20: 'NA' }), 'ORC|RE||3^EHR', seg('RXA', { 1: '0', 2: '1', 3: '20200101', 5: '20^DTaP^CVX', 6: '.25', 7: 'mL', 20: 'PA' }));
    assert.deepEqual(m.immunizations.map((i) => [i.resource.status, i.resource.statusReason?.coding?.[0]?.code, i.resource.isSubpotent]), [
      ['not-done', '00', undefined], ['not-done', undefined, undefined], ['completed', undefined, true],
    ]);
    assert.equal(m.immunizations[0]?.fillerOrderNumber, undefined);
    assert.equal(m.immunizations[2]?.resource.doseQuantity?.value, 0.25);
  });
  test('PD1: protection Y, publicity, registry status inactive', () => {
    const m = vxu(PID, 'PD1|||||||||||01^No reminder/recall^HL70215|Y|20200101|||P|20200102|20200103');
    assert.equal(m.protected, true);
    assert.equal(m.patient.active, false);
    assert.equal(m.patient.meta?.security?.[0]?.system, 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality');
  });
});
