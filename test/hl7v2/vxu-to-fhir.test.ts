import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Immunization } from '@medplum/fhirtypes';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import type { CodeTables } from '../../src/hl7v2/code-tables.ts';
import { mapVxu, PATIENT_PLACEHOLDER, type VxuMapping } from '../../src/hl7v2/vxu-to-fhir.ts';
import { EXT_ADDRESS_TYPE, EXT_MOTHERS_MAIDEN_NAME, EXT_BIRTH_PLACE, EXT_BIRTH_TIME, EXT_US_CORE_RACE } from '../../src/hl7v2/patient-extensions.ts';
import { nistMessage } from './nist.ts';

let tables: CodeTables;
before(async () => { tables = await loadCodeTables(); });
const NOW = new Date('2026-11-30T12:00:00Z');
const map = (name: string): VxuMapping => mapVxu(nistMessage(name), tables, { now: NOW });
const cvx = (i: Immunization) => i.vaccineCode.coding?.find((c) => c.system === 'http://hl7.org/fhir/sid/cvx')?.code;
const code = (c: { coding?: { code?: string }[] } | undefined) => c?.coding?.[0]?.code;
const errors = (m: VxuMapping) => m.issues.filter((i) => i.severity === 'E');

const VXU_FILES = [
  'nist-cf-vxu-z22', 'nist-onc2015-iz-ad-1.1-send-v04-z22', 'nist-onc2015-iz-ad-2.1-send-v04-z22', 'nist-onc2015-iz-ad-3.1-send-v04-z22',
  'nist-onc2015-iz-ad-4.1-send-v04-z22', 'nist-onc2015-iz-ad-5.1-send-v04-z22', 'nist-onc2015-iz-ad-6.1-send-v04-z22', 'nist-onc2015-iz-ad-7.1-send-v04-z22',
  'nist-onc2015-iz-ad-8.1-send-v04-z22', 'nist-onc2015-iz-ad-9.1-send-v04-z22', 'nist-onc2015-iz-ad-10.1-send-v04-z22',
  'nist-cni56-g2-c3-s1-transmit-the-immunization-report-to-the-immunizati', 'nist-cni56-g2-c3-s4-transmit-the-updated-vaccination-report-with-adver',
  'nist-cni56-g3-c3-s1-transmit-the-immunization-report-for-juan-marcel-m', 'nist-cni56-g3-c3-s3-transmit-delete-from-bad-lot',
  'nist-cni56-g5-c3-s1-transmit-the-immunization-report-for-juana-maria-g', 'nist-cni56-g5-c3-s3-transmit-the-immunization-report-for-juana-maria-g',
  'nist-cni56-g5-c3-s5-transmit-the-immunization-report-for-juana-maria-g',
];

describe('every NIST VXU maps without errors (CDC IG R1.5 Z22)', () => {
  for (const f of VXU_FILES) {
    test(f, () => {
      const m = map(f);
      assert.deepEqual(errors(m), []);
      assert.ok(m.patient.name?.[0]?.family);
      assert.match(m.patient.birthDate ?? '', /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(m.patientIdentifiers.length >= 1);
      for (const i of m.immunizations) {
        assert.ok(cvx(i.resource), `${f} RXA ${i.rxaSequence} has a CVX`);
        assert.match(i.resource.occurrenceDateTime ?? '', /^\d{4}-\d{2}-\d{2}/);
        assert.equal(i.resource.patient.reference, PATIENT_PLACEHOLDER);
        assert.equal(i.rejected, false);
      }
    });
  }
});

describe('NIST ONC 2015 iz-ad-1.1: 3 new NDC doses, 2 historical HepB, 2 NK1', () => {
  test('patient', () => {
    const { patient, patientIdentifiers, relatedPersons } = map('nist-onc2015-iz-ad-1.1-send-v04-z22');
    assert.deepEqual(patient.name, [{ use: 'official', family: 'Richardson', given: ['Russell', 'Clint'] }]);
    assert.equal(patient.birthDate, '2015-04-15');
    assert.equal(patient.gender, 'male');
    assert.deepEqual(patientIdentifiers, [{ system: 'urn:iis:aa:NIST-MPI-1', value: '3123', type: 'MR' }]);
    assert.equal(patient.extension?.find((e) => e.url === EXT_MOTHERS_MAIDEN_NAME)?.valueString, 'Billington');
    const race = patient.extension?.find((e) => e.url === EXT_US_CORE_RACE);
    assert.equal(race?.extension?.[0]?.valueCoding?.code, '1002-5');
    assert.deepEqual(patient.address?.[0], {
      extension: [{ url: EXT_ADDRESS_TYPE, valueCode: 'P' }],
      use: 'home',
      line: ['543 Blount Drive'],
      city: 'Bozeman',
      state: 'MT',
      postalCode: '59715',
      country: 'USA',
    });
    assert.deepEqual(patient.telecom, [{ system: 'phone', value: '406-555-7690', use: 'home' }]);
    assert.equal(patient.multipleBirthBoolean, false);
    assert.equal(patient.active, true);
    assert.equal(patient.meta?.security, undefined);
    assert.equal(relatedPersons.length, 2);
    assert.equal(code(relatedPersons[0]?.relationship?.[0]), 'MTH');
    assert.deepEqual(relatedPersons[1]?.name?.[0]?.given, ['John', 'William']);
    assert.equal(relatedPersons[1]?.telecom?.[0]?.use, 'mobile');
  });
  test('doses', () => {
    const { immunizations } = map('nist-onc2015-iz-ad-1.1-send-v04-z22');
    assert.deepEqual(immunizations.map((i) => cvx(i.resource)), ['120', '116', '133', '45', '45']);
    const [penta, rota, , hist] = immunizations.map((i) => i.resource) as [Immunization, Immunization, Immunization, Immunization];
    assert.equal(penta.occurrenceDateTime, '2015-06-24');
    assert.equal(penta.vaccineCode.coding?.[1]?.code, '49281-0560-05');
    assert.equal(penta.lotNumber, '526434');
    assert.equal(penta.expirationDate, '2015-07-22');
    assert.equal(penta.manufacturer?.identifier?.value, 'PMC');
    assert.deepEqual(penta.doseQuantity, { value: 0.5, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' });
    assert.equal(penta.primarySource, true);
    assert.equal(code(penta.route), 'IM');
    assert.equal(code(penta.site), 'RT');
    assert.equal(code(penta.fundingSource), 'VXC50');
    assert.equal(code(penta.programEligibility?.[0]), 'V04');
    assert.equal(penta.education?.length, 3);
    assert.deepEqual(penta.education?.[0], { documentType: '253088698300017211160720', presentationDate: '2015-06-24' });
    assert.equal(penta.performer?.[0]?.actor.identifier?.value, '7824');
    assert.equal(penta.location?.display, 'NIST-Clinic-1');
    assert.equal(immunizations[0]?.fillerOrderNumber, '38766');
    assert.equal(immunizations[0]?.placerOrderNumber, '3140');
    assert.equal(code(rota.route), 'PO');
    assert.equal(rota.site, undefined);
    assert.equal(hist.primarySource, false);
    assert.equal(code(hist.reportOrigin), '01');
    assert.equal(hist.doseQuantity, undefined);
    assert.equal(hist.lotNumber, undefined);
  });
});

describe('other NIST VXU cases', () => {
  test('iz-ad-2.1: adult, email in PID-13, PHC70 and V01', () => {
    const m = map('nist-onc2015-iz-ad-2.1-send-v04-z22');
    assert.deepEqual(m.patient.telecom?.[1], { system: 'email', value: 'Elise.Wong@isp.com', use: 'home' });
    assert.equal(m.patient.gender, 'female');
    const td = m.immunizations[0]?.resource as Immunization;
    assert.equal(cvx(td), '113');
    assert.equal(code(td.fundingSource), 'PHC70');
    assert.equal(code(td.programEligibility?.[0]), 'V01');
    assert.equal(code(td.site), 'RD');
    assert.deepEqual(m.immunizations.slice(1).map((i) => [cvx(i.resource), i.resource.occurrenceDateTime]), [['88', '2014-10-12'], ['88', '2013-11-12']]);
  });
  test('iz-ad-3.1 / 4.1: protected patient (PD1-12 Y) and the delete action', () => {
    const add = map('nist-onc2015-iz-ad-3.1-send-v04-z22');
    assert.equal(add.protected, true);
    assert.equal(add.patient.meta?.security?.[0]?.code, 'R');
    const del = map('nist-onc2015-iz-ad-4.1-send-v04-z22');
    assert.equal(del.immunizations[0]?.actionCode, 'D');
    assert.equal(del.immunizations[0]?.fillerOrderNumber, '31309');
    assert.equal(del.immunizations[0]?.placerOrderNumber, '5237');
  });
  test('iz-ad-5.1: refusal is not-done with NIP002 reason and no filler number', () => {
    const m = map('nist-onc2015-iz-ad-5.1-send-v04-z22');
    const refusal = m.immunizations[3];
    assert.equal(refusal?.resource.status, 'not-done');
    assert.equal(code(refusal?.resource.statusReason), '00');
    assert.equal(refusal?.fillerOrderNumber, undefined);
    assert.equal(m.immunizations.filter((i) => i.resource.status === 'completed').length, 3);
  });
  test('iz-ad-6.1: update action with the corrected lot', () => {
    const m = map('nist-onc2015-iz-ad-6.1-send-v04-z22');
    assert.equal(m.immunizations[0]?.actionCode, 'U');
    assert.equal(m.immunizations[0]?.resource.lotNumber, '208490');
    assert.equal(m.immunizations[0]?.fillerOrderNumber, '12128');
  });
  test('iz-ad-8.1: OIDs in CX-4 become urn:oid systems', () => {
    const m = map('nist-onc2015-iz-ad-8.1-send-v04-z22');
    assert.equal(m.patientIdentifiers[0]?.system, 'urn:oid:2.16.840.1.113883.3.72.5.40.5');
    assert.equal(cvx(m.immunizations[0]?.resource as Immunization), '08');
  });
  test('cf-vxu-z22: VIS by vaccine type (30956-7) with publication and presentation dates', () => {
    const m = map('nist-cf-vxu-z22');
    const imm = m.immunizations[0]?.resource as Immunization;
    assert.equal(cvx(imm), '140');
    assert.equal(code(imm.programEligibility?.[0]), 'V05');
    assert.equal(imm.education?.[0]?.publicationDate, '2012-07-02');
    assert.equal(imm.education?.[0]?.presentationDate, '2012-08-14');
    // VIS by vaccine type: CVX 88 has no VIS of its own, the dose's CVX 140 names the 2012-07-02 influenza VIS
    assert.equal(imm.education?.[0]?.documentType, '253088698300010311120702');
    assert.equal(m.patientIdentifiers[0]?.system, 'urn:iis:aa:NIST%20MPI');
    assert.equal(code(imm.site), 'LD');
  });
  test('cni g5: birth time, BDL birth place, multiple birth order 2, CVX with alternate NDC', () => {
    const m = map('nist-cni56-g5-c3-s1-transmit-the-immunization-report-for-juana-maria-g');
    const ext = (m.patient as { _birthDate?: { extension?: { url: string; valueDateTime?: string }[] } })._birthDate?.extension?.[0];
    assert.equal(ext?.url, EXT_BIRTH_TIME);
    assert.equal(m.patient.birthDate, '2016-10-01');
    assert.equal(m.patient.multipleBirthInteger, 2);
    assert.equal(m.patient.extension?.find((e) => e.url === EXT_BIRTH_PLACE)?.valueAddress?.city, 'Stamford');
    assert.equal(m.patient.address?.length, 1);
    assert.equal(m.patient.communication?.[0]?.language.coding?.[0]?.code, 'en');
    assert.deepEqual(m.patientIdentifiers.map((i) => i.type), ['MR', 'SR']);
    const [hepb, pediarix] = m.immunizations.map((i) => i.resource) as [Immunization, Immunization];
    assert.deepEqual(hepb.vaccineCode.coding?.map((c) => c.code), ['08', '58160-0820-11']);
    assert.equal(code(hepb.reportOrigin), '08');
    assert.equal(cvx(pediarix), '110');
    assert.equal(pediarix.education?.length, 1);
    // Pediarix has four VIS and 2016-10-31 is no edition of them: the VIS is kept by vaccine type
    assert.equal(pediarix.education?.[0]?.reference, 'urn:iis:vis-by-vaccine:cvx:110');
    assert.equal(pediarix.education?.[0]?.publicationDate, '2016-10-31');
  });
  test('cni g2-c3-s1: 34 doses incl. an NDC-only dose, reaction OBX kept as Observation and reaction', () => {
    const m = map('nist-cni56-g2-c3-s1-transmit-the-immunization-report-to-the-immunizati');
    assert.equal(m.immunizations.length, 34);
    assert.equal(m.patientObservations.length, 1);
    assert.equal(m.patientObservations[0]?.code.coding?.[0]?.code, '31044-1');
    assert.equal(m.immunizations.filter((i) => i.resource.reaction).length, 1);
    assert.equal(code(m.relatedPersons[0]?.relationship?.[0]), 'GRP');
  });
  test('cni g3-c3-s3: delete from bad lot', () => {
    const m = map('nist-cni56-g3-c3-s3-transmit-delete-from-bad-lot');
    assert.equal(m.immunizations[0]?.actionCode, 'D');
    assert.equal(m.immunizations[0]?.resource.lotNumber, '6332FK26');
  });
});
