import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { validateResource } from '@medplum/core';
import type { Immunization, Organization, Patient, Practitioner, RelatedPerson, Resource } from '@medplum/fhirtypes';
import { loadR4Definitions } from '../../src/fhir/definitions.ts';
import { generateDemoBundle, isValidNpi, PRODUCTS, toEpochDay, ageInYears } from '../../src/registry/demo/index.ts';

const TODAY = '2026-03-15';
const bundle = generateDemoBundle({ seed: 7, today: TODAY });
const resources = (bundle.entry ?? []).map((e) => e.resource as Resource);
const ofType = <T extends Resource>(type: T['resourceType']): T[] => resources.filter((r): r is T => r.resourceType === type);
const patients = ofType<Patient>('Patient');
const immunizations = ofType<Immunization>('Immunization');
const byUrl = new Map((bundle.entry ?? []).map((e) => [e.fullUrl ?? '', e.resource as Resource]));
const cvxOf = (imm: Immunization): string | undefined => imm.vaccineCode.coding?.find((c) => c.system === 'http://hl7.org/fhir/sid/cvx')?.code;
const dosesOf = (patientUrl: string): Immunization[] => immunizations.filter((i) => i.patient.reference === patientUrl);
const urlOf = (r: Resource): string => (bundle.entry ?? []).find((e) => e.resource === r)?.fullUrl ?? '';

/** Collects every `reference` string anywhere in a resource. */
function collectReferences(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((v) => collectReferences(v, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else collectReferences(v, out);
    }
  }
  return out;
}

describe('generateDemoBundle', () => {
  before(() => loadR4Definitions());

  it('is deterministic for a seed and differs between seeds', () => {
    assert.deepEqual(generateDemoBundle({ seed: 7, today: TODAY }), bundle);
    assert.notDeepEqual(generateDemoBundle({ seed: 8, today: TODAY }), bundle);
  });

  it('is a transaction of POSTs with unique urn:uuid full URLs', () => {
    assert.equal(bundle.type, 'transaction');
    const urls = new Set<string>();
    for (const entry of bundle.entry ?? []) {
      assert.match(entry.fullUrl ?? '', /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(entry.request?.method, 'POST');
      assert.equal(entry.request?.url, entry.resource?.resourceType);
      assert.equal(entry.resource?.id, undefined);
      urls.add(entry.fullUrl ?? '');
    }
    assert.equal(urls.size, bundle.entry?.length);
  });

  it('has the expected counts', () => {
    assert.equal(patients.length, 50);
    const orgs = ofType<Organization>('Organization');
    const orgType = (o: Organization): string | undefined => o.type?.[0]?.coding?.[0]?.code;
    assert.equal(orgs.filter((o) => orgType(o) === 'prov').length, 4);
    assert.equal(orgs.filter((o) => orgType(o) === 'govt').length, 1);
    assert.ok(orgs.filter((o) => orgType(o) === 'edu').length >= 3);
    assert.equal(ofType('Location').length, 4);
    assert.equal(ofType<Practitioner>('Practitioner').length, 8);
    assert.equal(ofType('PractitionerRole').length, 8);
    assert.ok(immunizations.length > 300);
    assert.equal(generateDemoBundle({ seed: 1, patientCount: 5, today: TODAY }).entry?.filter((e) => e.resource?.resourceType === 'Patient').length, 5);
  });

  it('references only entries of the bundle', () => {
    for (const r of resources) {
      for (const ref of collectReferences(r)) {
        assert.match(ref, /^urn:uuid:/);
        assert.ok(byUrl.has(ref), `${r.resourceType} references missing ${ref}`);
      }
    }
    for (const imm of immunizations) {
      assert.equal(byUrl.get(imm.patient.reference ?? '')?.resourceType, 'Patient');
    }
  });

  it('validates every resource against R4', () => {
    for (const r of resources) {
      assert.doesNotThrow(() => validateResource(r), `${r.resourceType} ${JSON.stringify(r).slice(0, 200)}`);
    }
  });

  it('uses legal codes for required bindings', () => {
    for (const p of patients) {
      assert.ok(['male', 'female', 'other', 'unknown'].includes(p.gender ?? ''));
      for (const id of p.identifier ?? []) assert.ok(['usual', 'official', 'temp', 'secondary', 'old'].includes(id.use ?? 'usual'));
      for (const n of p.name ?? []) assert.ok(['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden'].includes(n.use ?? 'usual'));
      for (const t of p.telecom ?? []) assert.ok(t.system === 'phone' && ['home', 'work', 'mobile'].includes(t.use ?? ''));
      for (const a of p.address ?? []) assert.ok(['home', 'work'].includes(a.use ?? '') && ['postal', 'physical', 'both'].includes(a.type ?? ''));
    }
    for (const imm of immunizations) assert.ok(['completed', 'entered-in-error', 'not-done'].includes(imm.status));
  });

  it('gives valid NPIs, MR and state registry identifiers', () => {
    for (const r of [...ofType<Practitioner>('Practitioner'), ...ofType<Organization>('Organization')]) {
      for (const id of r.identifier ?? []) {
        assert.equal(id.system, 'http://hl7.org/fhir/sid/us-npi');
        assert.ok(isValidNpi(id.value ?? ''), id.value);
      }
    }
    const stateIds = new Set<string>();
    for (const p of patients) {
      const mr = p.identifier?.find((i) => i.type?.coding?.[0]?.code === 'MR');
      assert.match(mr?.system ?? '', /^https:\/\/open-iis\.org\/fhir\/sid\/mrn-[a-z-]+$/);
      const sr = p.identifier?.find((i) => i.type?.coding?.[0]?.code === 'SR');
      assert.ok(sr?.value);
      stateIds.add(sr.value);
    }
    assert.equal(stateIds.size, patients.length);
  });

  it('covers the interesting patients: newborn, seniors, twins, hyphenated and accented names, guardians', () => {
    const today = toEpochDay(TODAY);
    const ages = patients.map((p) => ageInYears(toEpochDay(p.birthDate ?? ''), today));
    assert.ok(patients.some((p) => today - toEpochDay(p.birthDate ?? '') < 31), 'a newborn');
    assert.ok(ages.filter((a) => a >= 65).length >= 2, 'seniors');
    assert.ok(ages.filter((a) => a < 18).length > patients.length / 2, 'mostly children');
    const twins = patients.filter((p) => p.multipleBirthInteger !== undefined);
    assert.equal(twins.length, 2);
    assert.equal(twins[0]?.birthDate, twins[1]?.birthDate);
    assert.equal(twins[0]?.name?.[0]?.family, twins[1]?.name?.[0]?.family);
    assert.deepEqual(twins[0]?.address, twins[1]?.address);
    const names = patients.map((p) => `${p.name?.[0]?.given?.join(' ')} ${p.name?.[0]?.family}`);
    assert.ok(names.some((n) => /\S-\S/.test(n)), 'hyphenated');
    assert.ok(names.some((n) => /[À-ÿ]/.test(n)), 'accented');
    assert.ok(patients.some((p) => p.extension?.some((e) => e.url === 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName' && e.valueString)));
    const guardians = ofType<RelatedPerson>('RelatedPerson');
    const codes = new Set(guardians.map((g) => g.relationship?.[0]?.coding?.[0]?.code));
    assert.deepEqual([...codes].sort(), ['FTH', 'GRD', 'MTH']);
    for (const g of guardians) {
      const child = byUrl.get(g.patient.reference ?? '') as Patient;
      assert.ok(ageInYears(toEpochDay(child.birthDate ?? ''), today) < 18, 'guardians only for minors');
    }
  });

  it('never dates a dose before birth or after today', () => {
    const today = toEpochDay(TODAY);
    for (const imm of immunizations) {
      const patient = byUrl.get(imm.patient.reference ?? '') as Patient;
      const day = toEpochDay(imm.occurrenceDateTime ?? '');
      assert.ok(day >= toEpochDay(patient.birthDate ?? ''), 'after birth');
      assert.ok(day <= today, 'not in the future');
      assert.ok(toEpochDay(imm.recorded ?? '') <= today && toEpochDay(imm.recorded ?? '') >= day);
      if (imm.expirationDate) assert.ok(toEpochDay(imm.expirationDate) > day);
      for (const ed of imm.education ?? []) assert.ok((ed.publicationDate ?? '') <= (ed.presentationDate ?? ''));
    }
  });

  it('gives a fully vaccinated 7-year-old five DTaP doses at schedule ages', () => {
    const today = toEpochDay(TODAY);
    const sevens = patients.filter((p) => ageInYears(toEpochDay(p.birthDate ?? ''), today) === 7);
    const full = sevens.map((p) => ({ p, dtap: dosesOf(urlOf(p)).filter((i) => ['20', '106'].includes(cvxOf(i) ?? '')) })).find((x) => x.dtap.length === 5);
    assert.ok(full, 'a 7-year-old with 5 DTaP doses');
    const birth = toEpochDay(full.p.birthDate ?? '');
    const ageDays = full.dtap.map((i) => toEpochDay(i.occurrenceDateTime ?? '') - birth).sort((a, b) => a - b);
    const [d1, d2, d3, d4, d5] = ageDays as [number, number, number, number, number];
    assert.ok(d1 >= 42 && d1 <= 90, `dose 1 at ${d1} days`);
    assert.ok(d2 - d1 >= 28 && d2 <= 160, `dose 2 at ${d2} days`);
    assert.ok(d3 - d2 >= 28 && d3 <= 300, `dose 3 at ${d3} days`);
    assert.ok(d4 >= 365 && d4 <= 730 && d4 - d3 >= 183, `dose 4 at ${d4} days`);
    assert.ok(d5 >= 4 * 365 && d5 <= 7 * 365, `dose 5 at ${d5} days`);
    // No child under 4 can have had the fifth dose.
    for (const p of patients.filter((x) => ageInYears(toEpochDay(x.birthDate ?? ''), today) < 4)) {
      assert.ok(dosesOf(urlOf(p)).filter((i) => ['20', '106'].includes(cvxOf(i) ?? '')).length <= 4);
    }
  });

  it('describes administered doses fully and consistently with the product', () => {
    const products = Object.values(PRODUCTS);
    const administered = immunizations.filter((i) => i.status === 'completed' && i.primarySource);
    assert.ok(administered.length > 200);
    for (const imm of administered) {
      const cvx = cvxOf(imm);
      const mvx = imm.manufacturer?.identifier?.value;
      assert.equal(imm.manufacturer?.identifier?.system, 'http://terminology.hl7.org/CodeSystem/MVX');
      assert.ok(products.some((p) => p.cvx === cvx && p.mvx === mvx && p.manufacturer === imm.manufacturer?.display), `${cvx}/${mvx}`);
      const ndc = imm.vaccineCode.coding?.find((c) => c.system === 'http://hl7.org/fhir/sid/ndc')?.code;
      if (ndc) assert.ok(products.some((p) => p.ndc === ndc && p.cvx === cvx && p.mvx === mvx));
      assert.ok(imm.lotNumber && imm.expirationDate && imm.route && imm.doseQuantity && imm.location);
      assert.equal(imm.performer?.[0]?.function?.coding?.[0]?.code, 'AP');
      const elig = imm.programEligibility?.[0]?.coding?.[0];
      assert.equal(elig?.system, 'http://terminology.hl7.org/CodeSystem/v2-0064');
      const funding = imm.fundingSource?.coding?.[0];
      assert.equal(funding?.system, 'urn:oid:2.16.840.1.114222.4.5.274');
      assert.equal(funding?.code, elig?.code === 'V01' ? 'PHC70' : 'VXC50');
      const patient = byUrl.get(imm.patient.reference ?? '') as Patient;
      const age = ageInYears(toEpochDay(patient.birthDate ?? ''), toEpochDay(imm.occurrenceDateTime ?? ''));
      if (age >= 19) assert.equal(elig?.code, 'V01');
    }
    assert.ok(administered.some((i) => i.education?.[0]?.documentType && i.education[0].publicationDate));
    assert.ok(administered.some((i) => i.vaccineCode.coding?.some((c) => c.system === 'http://hl7.org/fhir/sid/ndc')));
    const merck = administered.find((i) => i.manufacturer?.identifier?.value === 'MSD');
    assert.deepEqual(merck?.manufacturer, { identifier: { system: 'http://terminology.hl7.org/CodeSystem/MVX', value: 'MSD' }, display: 'Merck and Co., Inc.' });
  });

  it('includes historical records, a refusal, and adult vaccines', () => {
    const historical = immunizations.filter((i) => i.primarySource === false);
    assert.ok(historical.length >= 3);
    for (const h of historical) assert.equal(h.reportOrigin?.coding?.[0]?.code, 'record');
    const refusals = immunizations.filter((i) => i.status === 'not-done');
    assert.equal(refusals.length, 1);
    assert.deepEqual(refusals[0]?.statusReason?.coding?.[0]?.system, 'http://terminology.hl7.org/CodeSystem/v3-ActReason');
    assert.equal(refusals[0]?.statusReason?.coding?.[0]?.code, 'PATOBJ');
    const cvx = new Set(immunizations.map(cvxOf));
    for (const code of ['187', '115', '03', '21', '10']) assert.ok(cvx.has(code), `CVX ${code}`);
    assert.ok(['303', '305'].some((c) => cvx.has(c)), 'RSV for 60+');
    assert.ok(['309', '312', '310'].some((c) => cvx.has(c)), 'COVID-19');
  });
});
