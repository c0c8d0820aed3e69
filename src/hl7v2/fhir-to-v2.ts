/**
 * FHIR R4 resources to the segments of an RSP (CDC IG R1.5 section 6: PID, PD1, NK1, ORC, RXA, RXR, OBX as the
 * Z32/Z42 response profiles use them). Inverse of the VXU mapping.
 */
import type { Address, CodeableConcept, ContactPoint, HumanName, Identifier, Immunization, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { segment, type V2Rep } from './encode.ts';
import { namespaceOf, toTs, v2NameOf } from './datatypes.ts';
import { VIS_BY_VACCINE_URN } from './obx-to-fhir.ts';
import { EXT_MOTHERS_MAIDEN_NAME, EXT_PROTECTION, EXT_PUBLICITY, EXT_REGISTRY_STATUS, EXT_US_CORE_ETHNICITY, EXT_US_CORE_RACE, EXT_VIS_VACCINE, EXT_ADDRESS_TYPE, subExtension } from './patient-extensions.ts';

const USE_TO_XPN: Record<string, string> = { official: 'L', usual: 'A', nickname: 'N', maiden: 'M', old: 'B', temp: 'U', anonymous: 'S' };

/** @param c - a concept. @param prefer - system to pick first. @returns CE components (code^text^system). */
export function conceptToCe(c: CodeableConcept | undefined, prefer?: string): V2Rep {
  const coding = c?.coding?.find((x) => x.system === prefer) ?? c?.coding?.[0];
  if (!coding?.code) return [];
  return [coding.code, coding.display ?? c?.text ?? '', v2NameOf(coding.system)];
}

function identifierToCx(i: Identifier): V2Rep {
  const sys = i.system ?? '';
  const authority = sys.startsWith('urn:iis:aa:') ? [namespaceOf(sys)] : sys.startsWith('urn:oid:') ? ['', sys.slice(8), 'ISO'] : sys ? ['', sys, 'URI'] : [];
  return [i.value ?? '', '', '', authority, i.type?.coding?.[0]?.code ?? ''];
}

function nameToXpn(n: HumanName | undefined): V2Rep {
  if (!n) return [];
  return [n.family ?? '', n.given?.[0] ?? '', n.given?.slice(1).join(' ') ?? '', n.suffix?.[0] ?? '', n.prefix?.[0] ?? '', '', USE_TO_XPN[n.use ?? ''] ?? 'L'];
}

function addressToXad(a: Address): V2Rep {
  const sent = a.extension?.find((e) => e.url === EXT_ADDRESS_TYPE)?.valueCode;
  const type = sent ?? (a.type === 'postal' ? 'M' : a.use === 'old' ? 'BA' : a.use === 'temp' ? 'C' : 'L');
  return [a.line?.[0] ?? '', a.line?.[1] ?? '', a.city ?? '', a.state ?? '', a.postalCode ?? '', a.country ?? '', type];
}

function contactToXtn(t: ContactPoint): V2Rep {
  if (t.system === 'email') return ['', 'NET', 'X.400', t.value ?? ''];
  const digits = (t.value ?? '').split(' x')[0]?.replace(/\D/g, '') ?? '';
  const equip = t.use === 'mobile' ? 'CP' : t.system === 'fax' ? 'FX' : t.system === 'pager' ? 'BP' : 'PH';
  const use = t.use === 'work' ? 'WPN' : 'PRN';
  return digits.length === 10 ? ['', use, equip, '', '', digits.slice(0, 3), digits.slice(3)] : ['', use, equip, '', '', '', digits];
}

function raceReps(p: Patient, url: string): V2Rep[] {
  const ext = p.extension?.find((e) => e.url === url);
  return (ext?.extension ?? []).filter((e) => e.valueCoding?.code).map((e) => [e.valueCoding?.code ?? '', e.valueCoding?.display ?? '', 'CDCREC']);
}

/**
 * Patient to PID: PID-1 set id, PID-3 identifiers (plus the registry's own id as SR), PID-5 names, PID-6 mother's
 * maiden name, PID-7, PID-8, PID-10/22 race and ethnicity, PID-11, PID-13, PID-24/25, PID-29/30.
 * @param p - the patient.
 * @param setId - PID-1.
 * @param iisId - the registry's identifier of the patient, sent as `id^^^authority^SR`.
 * @returns the PID text.
 */
export function patientToPid(p: Patient, setId: number, iisId?: { value: string; authority: string }): string {
  const ids = (p.identifier ?? []).map(identifierToCx);
  if (iisId && !(p.identifier ?? []).some((i) => i.value === iisId.value && i.type?.coding?.[0]?.code === 'SR')) ids.push([iisId.value, '', '', iisId.authority, 'SR']);
  const maiden = p.extension?.find((e) => e.url === EXT_MOTHERS_MAIDEN_NAME)?.valueString;
  const gender = { male: 'M', female: 'F', unknown: 'U', other: 'U' }[p.gender ?? 'unknown'] ?? 'U';
  const multiple = p.multipleBirthInteger !== undefined ? 'Y' : p.multipleBirthBoolean === undefined ? '' : p.multipleBirthBoolean ? 'Y' : 'N';
  const f: (string | V2Rep | { reps: V2Rep[] })[] = [
    String(setId), '', { reps: ids }, '', { reps: (p.name ?? []).map(nameToXpn) }, maiden ? [maiden, '', '', '', '', '', 'M'] : '',
    toTs(p.birthDate), gender, '', { reps: raceReps(p, EXT_US_CORE_RACE) }, { reps: (p.address ?? []).map(addressToXad) }, '',
    { reps: (p.telecom ?? []).map(contactToXtn) }, '', '', '', '', '', '', '', '', { reps: raceReps(p, EXT_US_CORE_ETHNICITY) }, '',
    multiple, p.multipleBirthInteger !== undefined ? String(p.multipleBirthInteger) : '', '', '', '',
    toTs(p.deceasedDateTime), p.deceasedDateTime || p.deceasedBoolean ? 'Y' : '',
  ];
  return segment('PID', f);
}

/**
 * Patient registry facts to PD1 (PD1-11/18 publicity, PD1-12/13 protection, PD1-16/17 registry status).
 * @param p - the patient.
 * @returns the PD1 text, or undefined when the patient has none of them.
 */
export function patientToPd1(p: Patient): string | undefined {
  const ext = (url: string) => p.extension?.find((e) => e.url === url);
  const pub = ext(EXT_PUBLICITY);
  const prot = ext(EXT_PROTECTION);
  const reg = ext(EXT_REGISTRY_STATUS);
  if (!pub && !prot && !reg) return undefined;
  const date = (e: typeof pub) => toTs(subExtension(e, 'date')?.valueDate);
  const protValue = subExtension(prot, 'value')?.valueBoolean;
  const f = new Array<string | V2Rep>(18).fill('');
  f[10] = conceptToCe(subExtension(pub, 'code')?.valueCodeableConcept);
  f[11] = protValue === undefined ? '' : protValue ? 'Y' : 'N';
  f[12] = date(prot);
  f[15] = subExtension(reg, 'code')?.valueCodeableConcept?.coding?.[0]?.code ?? '';
  f[16] = date(reg);
  f[17] = date(pub);
  return segment('PD1', f);
}

/**
 * RelatedPerson to NK1 (name, relationship HL70063, address, phone).
 * @param r - the related person.
 * @param setId - NK1-1.
 * @returns the NK1 text.
 */
export function relatedPersonToNk1(r: RelatedPerson, setId: number): string {
  const rel = conceptToCe(r.relationship?.[0], 'http://terminology.hl7.org/CodeSystem/v2-0063');
  return segment('NK1', [String(setId), nameToXpn(r.name?.[0]), rel, { reps: (r.address ?? []).map(addressToXad) }, { reps: (r.telecom ?? []).map(contactToXtn) }]);
}

function xcn(ref: { identifier?: Identifier; display?: string } | undefined): V2Rep {
  if (!ref) return [];
  // display is "given middle family" (xcnToReference)
  const parts = (ref.display ?? '').split(' ').filter(Boolean);
  const family = parts.length ? (parts[parts.length - 1] as string) : '';
  const given = parts.length > 1 ? (parts[0] as string) : '';
  const middle = parts.slice(1, -1).join(' ');
  const sys = ref.identifier?.system ?? '';
  return [ref.identifier?.value ?? '', family, given, middle, '', '', '', '', namespaceOf(sys)];
}

/** OBX builder state for one RXA: `n` the last OBX-1 set id, `sub` the last OBX-4 sub-id used. */
export interface ObxCounter { n: number; sub?: number }

/**
 * One OBX: `OBX|n|type|loinc^text^LN|subId|value||||||F|||date`.
 * @param c - the counter (OBX-1 of one RXA).
 * @param type - OBX-2.
 * @param loinc - OBX-3 code and text.
 * @param subId - OBX-4.
 * @param value - OBX-5.
 * @param date - OBX-14 (TS), optional.
 * @param units - OBX-6, optional.
 * @returns the OBX text.
 */
export function obx(c: ObxCounter, type: string, loinc: [string, string], subId: number, value: string | V2Rep, date = '', units: string | V2Rep = ''): string {
  c.n += 1;
  c.sub = Math.max(c.sub ?? 0, subId);
  return segment('OBX', [String(c.n), type, [loinc[0], loinc[1], 'LN'], String(subId), value, units, '', '', '', '', 'F', '', '', date]);
}

/**
 * Immunization to ORC, RXA, RXR and the funding, eligibility and VIS OBX (CDC IG R1.5 Z32 dose group).
 * @param imm - the immunization.
 * @param counter - the OBX set id counter (fresh per RXA).
 * @returns the segments.
 */
export function immunizationToSegments(imm: Immunization, counter: ObxCounter): string[] {
  const filler = imm.identifier?.find((i) => i.type?.coding?.[0]?.code === 'FILL') ?? imm.identifier?.[0];
  const fillerNs = namespaceOf(filler?.system);
  const ordering = imm.performer?.find((p) => p.function?.coding?.[0]?.code === 'OP')?.actor;
  const administering = imm.performer?.find((p) => p.function?.coding?.[0]?.code !== 'OP')?.actor;
  const completion = imm.status === 'not-done' ? (imm.statusReason ? 'RE' : 'NA') : imm.isSubpotent ? 'PA' : 'CP';
  const source = imm.primarySource === false ? conceptToCe(imm.reportOrigin) : ['00', 'New immunization record', 'NIP001'];
  const out = [
    segment('ORC', ['RE', '', [filler?.value ?? '9999', fillerNs], '', '', '', '', '', '', '', '', xcn(ordering)]),
    segment('RXA', [
      '0', '1', toTs(imm.occurrenceDateTime), '', conceptToCe(imm.vaccineCode, 'http://hl7.org/fhir/sid/cvx'),
      imm.doseQuantity?.value !== undefined ? String(imm.doseQuantity.value) : '999',
      imm.doseQuantity?.value !== undefined ? [imm.doseQuantity.code ?? 'mL', imm.doseQuantity.unit ?? 'mL', 'UCUM'] : '', '',
      source, xcn(administering), imm.location?.display ? ['', '', '', imm.location.display] : '', '', '', '', imm.lotNumber ?? '',
      toTs(imm.expirationDate), imm.manufacturer?.identifier?.value ? [imm.manufacturer.identifier.value, imm.manufacturer.display ?? '', 'MVX'] : '',
      conceptToCe(imm.statusReason), '', completion, imm.status === 'entered-in-error' ? 'D' : 'A',
    ]),
  ];
  if (imm.route || imm.site) {
    out.push(segment('RXR', [conceptToCe(imm.route, 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl'), conceptToCe(imm.site)]));
  }
  const date = toTs(imm.occurrenceDateTime);
  if (imm.fundingSource) out.push(obx(counter, 'CE', ['30963-3', 'Vaccine funding source'], (counter.sub ?? 0) + 1, conceptToCe(imm.fundingSource), date));
  for (const pe of imm.programEligibility ?? []) out.push(obx(counter, 'CE', ['64994-7', 'Vaccine funding program eligibility category'], (counter.sub ?? 0) + 1, conceptToCe(pe), date));
  for (const e of imm.education ?? []) {
    const sub = (counter.sub ?? 0) + 1;
    const byVaccine = e.reference?.startsWith(VIS_BY_VACCINE_URN) ? e.reference.slice(VIS_BY_VACCINE_URN.length) : undefined;
    const vaccine = e.extension?.find((x) => x.url === EXT_VIS_VACCINE)?.valueCodeableConcept ?? (byVaccine ? { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: byVaccine }] } : undefined);
    if (e.documentType) out.push(obx(counter, 'CE', ['69764-9', 'Document type'], sub, [e.documentType, '', 'cdcgs1vis'], date));
    if (vaccine) out.push(obx(counter, 'CE', ['30956-7', 'Vaccine type'], sub, conceptToCe(vaccine), date));
    if (e.publicationDate) out.push(obx(counter, 'TS', ['29768-9', 'Date vaccine information statement published'], sub, toTs(e.publicationDate), date));
    if (e.presentationDate) out.push(obx(counter, 'TS', ['29769-7', 'Date vaccine information statement presented'], sub, toTs(e.presentationDate), date));
  }
  return out;
}
