/**
 * HL7 v2.5.1 data types to FHIR R4 data types (CDC IG R1.5 section 4 "HL7 Data Types"; HL7 V2-to-FHIR IG
 * data type maps: CE/CWE to CodeableConcept, CX to Identifier, XPN to HumanName, XAD to Address, XTN to
 * ContactPoint, TS/DT to dateTime/date).
 */
import type { Address, CodeableConcept, Coding, ContactPoint, HumanName, Identifier, Practitioner, Reference } from '@medplum/fhirtypes';
import { comp, type Hl7Repetition } from './segments.ts';
import { EXT_ADDRESS_TYPE } from './patient-extensions.ts';

/** HL7 table 0396 coding system names to FHIR system URIs. */
export const V2_SYSTEMS: Record<string, string> = {
  CVX: 'http://hl7.org/fhir/sid/cvx',
  NDC: 'http://hl7.org/fhir/sid/ndc',
  CPT: 'http://www.ama-assn.org/go/cpt',
  C4: 'http://www.ama-assn.org/go/cpt',
  MVX: 'http://terminology.hl7.org/CodeSystem/MVX',
  LN: 'http://loinc.org',
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  UCUM: 'http://unitsofmeasure.org',
  NCIT: 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl',
  CDCREC: 'urn:oid:2.16.840.1.113883.6.238',
  CDCPHINVS: 'urn:oid:2.16.840.1.114222.4.5.274',
  NIP001: 'https://open-iis.org/fhir/CodeSystem/nip001',
  NIP002: 'https://open-iis.org/fhir/CodeSystem/nip002',
  CDCGS1VIS: 'urn:oid:2.16.840.1.114222.4.5.307',
  ISO639: 'urn:ietf:bcp:47',
  I10: 'http://hl7.org/fhir/sid/icd-10-cm',
};

/**
 * The FHIR system of a v2 coding system name; HL70nnn tables become terminology.hl7.org v2-0nnn.
 * @param name - CE-3 / CE-6 value.
 * @returns the URI ('' when the name is empty).
 */
export function systemOf(name: string): string {
  const n = name.trim().toUpperCase();
  if (!n) return '';
  const table = /^HL7(\d{4})$/.exec(n);
  if (table) return `http://terminology.hl7.org/CodeSystem/v2-${table[1]}`;
  return V2_SYSTEMS[n] ?? `urn:iis:cs:${encodeURIComponent(name.trim())}`;
}

/** The short v2 name of a FHIR system (inverse of {@link systemOf}). */
export function v2NameOf(system: string | undefined): string {
  if (!system) return '';
  if (system === 'http://terminology.hl7.org/CodeSystem/v3-ActSite') return 'HL70163';
  const table = /v2-(\d{4})$/.exec(system);
  if (table) return `HL7${table[1]}`;
  const hit = Object.entries(V2_SYSTEMS).find(([, uri]) => uri === system);
  return hit ? hit[0] : system.startsWith('urn:iis:cs:') ? safeDecode(system.slice(11)) : system;
}

/** A CE/CWE triplet (identifier, text, coding system). */
export interface CeTriplet {
  code: string;
  display: string;
  system: string;
}

/**
 * The primary and alternate triplets of a CE/CWE (components 1-3 and 4-6).
 * @param rep - the repetition.
 * @returns the non-empty triplets.
 */
export function ceTriplets(rep: Hl7Repetition | undefined): CeTriplet[] {
  const out: CeTriplet[] = [];
  for (const start of [1, 4]) {
    const code = comp(rep, start);
    if (code) out.push({ code, display: comp(rep, start + 1), system: comp(rep, start + 2) });
  }
  return out;
}

/**
 * A coding from a triplet.
 * @param t - the triplet.
 * @returns the coding.
 */
export function codingOf(t: CeTriplet): Coding {
  const system = systemOf(t.system);
  return { ...(system ? { system } : {}), code: t.code, ...(t.display ? { display: t.display } : {}) };
}

/**
 * CE/CWE to CodeableConcept (all triplets kept).
 * @param rep - the repetition.
 * @returns the concept, or undefined when empty.
 */
export function ceToConcept(rep: Hl7Repetition | undefined): CodeableConcept | undefined {
  const ts = ceTriplets(rep);
  return ts.length ? { coding: ts.map(codingOf) } : undefined;
}

/**
 * TS/DT/DTM (`YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]`) to a FHIR date or dateTime: a time is kept only when an
 * offset is given (FHIR requires a zone with a time).
 * @param ts - the v2 value.
 * @param defaultZone - offset (`-0500`) for a time sent without one: HL7 reads it as the sender's local time,
 *   and the offset of MSH-7 tells that zone.
 * @returns `{ date, dateTime, hasTime }`, or undefined when not a valid timestamp.
 */
export function parseTs(ts: string, defaultZone?: string): { date: string; dateTime: string; hasTime: boolean } | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,4}))?)?([+-]\d{4})?$/.exec(ts.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, sentZone] = m;
  const zone = sentZone ?? defaultZone;
  if (mo && (+mo < 1 || +mo > 12)) return undefined;
  if (d) {
    const probe = new Date(Date.UTC(+(y as string), +(mo as string) - 1, +d));
    if (probe.getUTCDate() !== +d) return undefined;
  }
  if ((h && +h > 23) || (mi && +mi > 59) || (s && +s > 59)) return undefined;
  const date = [y, mo, d].filter(Boolean).join('-');
  const hasTime = h !== undefined;
  if (!hasTime || !zone || !d) return { date, dateTime: date, hasTime };
  const time = `${h}:${mi ?? '00'}:${s ?? '00'}${frac ? `.${frac}` : ''}`;
  return { date, dateTime: `${date}T${time}${zone.slice(0, 3)}:${zone.slice(3)}`, hasTime };
}

/**
 * FHIR date or dateTime to a v2 TS (`YYYYMMDD` or `YYYYMMDDHHMMSS+ZZZZ`).
 * @param fhir - the FHIR value.
 * @returns the v2 value ('' when absent).
 */
export function toTs(fhir: string | undefined): string {
  if (!fhir) return '';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(fhir);
  if (!m) return '';
  const [, y, mo, d, h, mi, s, z] = m;
  const date = `${y}${mo ?? ''}${d ?? ''}`;
  if (!h) return date;
  return `${date}${h}${mi}${s ?? '00'}${z === 'Z' ? '+0000' : (z ?? '').replace(':', '')}`;
}

const NAME_USE: Record<string, HumanName['use']> = { L: 'official', A: 'usual', D: 'usual', N: 'nickname', M: 'maiden', B: 'old', C: 'old', U: 'temp', S: 'anonymous' };

/**
 * XPN to HumanName: family, given + middle, suffix, prefix; XPN-7 (HL7 table 0200) to use (L official, A alias
 * and D display usual, M maiden, N nickname, B/C old).
 * @param rep - the repetition.
 * @returns the name, or undefined when empty.
 */
export function xpnToName(rep: Hl7Repetition | undefined): HumanName | undefined {
  const family = comp(rep, 1);
  const given = [comp(rep, 2), comp(rep, 3)].filter(Boolean);
  if (!family && !given.length) return undefined;
  const use = NAME_USE[comp(rep, 7).toUpperCase()];
  return {
    ...(use ? { use } : {}),
    ...(family ? { family } : {}),
    ...(given.length ? { given } : {}),
    ...(comp(rep, 4) ? { suffix: [comp(rep, 4)] } : {}),
    ...(comp(rep, 5) ? { prefix: [comp(rep, 5)] } : {}),
  };
}

/**
 * XAD to Address; XAD-7 (HL7 table 0190): M mailing is postal, BA bad address old, others home; the code itself is
 * kept in the {@link EXT_ADDRESS_TYPE} extension so replies repeat it.
 * @param rep - the repetition.
 * @returns the address, or undefined when empty.
 */
export function xadToAddress(rep: Hl7Repetition | undefined): Address | undefined {
  const line = [comp(rep, 1), comp(rep, 2)].filter(Boolean);
  const [city, state, postalCode, country] = [comp(rep, 3), comp(rep, 4), comp(rep, 5), comp(rep, 6)];
  if (!line.length && !city && !state && !postalCode) return undefined;
  const type = comp(rep, 7).toUpperCase();
  return {
    ...(type ? { extension: [{ url: EXT_ADDRESS_TYPE, valueCode: type }] } : {}),
    use: type === 'BA' ? 'old' : type === 'C' ? 'temp' : 'home',
    ...(type === 'M' ? { type: 'postal' as const } : {}),
    ...(line.length ? { line } : {}),
    ...(city ? { city } : {}),
    ...(state ? { state } : {}),
    ...(postalCode ? { postalCode } : {}),
    ...(country ? { country } : {}),
  };
}

/**
 * XTN to ContactPoint: XTN-2 NET/X.400 gives an email (XTN-4), otherwise a phone from area code (XTN-6) and
 * number (XTN-7) or the legacy XTN-1; XTN-3 CP is a mobile, FX a fax, BP a pager; XTN-2 WPN is work.
 * @param rep - the repetition.
 * @returns the contact point, or undefined when empty.
 */
export function xtnToContact(rep: Hl7Repetition | undefined): ContactPoint | undefined {
  const use = comp(rep, 2).toUpperCase();
  const equip = comp(rep, 3).toUpperCase();
  if (use === 'NET' || equip === 'INTERNET' || equip === 'X.400') {
    const email = comp(rep, 4);
    return email ? { system: 'email', value: email, use: 'home' } : undefined;
  }
  const area = comp(rep, 6).replace(/\D/g, '');
  const local = comp(rep, 7).replace(/\D/g, '');
  const digits = area || local ? `${area}${local}` : comp(rep, 1);
  if (!digits) return undefined;
  const value = /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}` : digits;
  const ext = comp(rep, 8);
  return {
    system: equip === 'FX' ? 'fax' : equip === 'BP' ? 'pager' : 'phone',
    value: ext ? `${value} x${ext}` : value,
    use: equip === 'CP' ? 'mobile' : use === 'WPN' ? 'work' : 'home',
  };
}

/**
 * The system URI of an assigning authority or namespace HD: `urn:oid:` for ISO universal ids, the URI for a URI
 * id, else `urn:iis:aa:<namespace>`.
 * @param namespace - HD-1.
 * @param universalId - HD-2.
 * @param type - HD-3.
 * @returns the system, or undefined when nothing is given.
 */
export function authoritySystem(namespace: string, universalId = '', type = ''): string | undefined {
  if (universalId && type.toUpperCase() === 'ISO') return `urn:oid:${universalId}`;
  if (universalId && /^(https?:|urn:)/.test(universalId)) return universalId;
  if (namespace) return `urn:iis:aa:${encodeURIComponent(namespace)}`;
  return universalId ? `urn:iis:aa:${encodeURIComponent(universalId)}` : undefined;
}

/**
 * The namespace of a `urn:iis:aa:` system (inverse of {@link authoritySystem}).
 * @param system - the system.
 * @returns the namespace, or '' for other systems.
 */
export function namespaceOf(system: string | undefined): string {
  if (!system?.startsWith('urn:iis:aa:')) return '';
  return safeDecode(system.slice(11));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * CX to Identifier: value CX-1, system from CX-4 (HD with subcomponents), type CX-5 in HL7 table 0203.
 * @param rep - the repetition.
 * @returns the identifier, or undefined without a value.
 */
export function cxToIdentifier(rep: Hl7Repetition | undefined): Identifier | undefined {
  const value = comp(rep, 1);
  if (!value) return undefined;
  const system = authoritySystem(comp(rep, 4, 1), comp(rep, 4, 2), comp(rep, 4, 3));
  const type = comp(rep, 5);
  return {
    ...(type ? { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: type }] } } : {}),
    ...(system ? { system } : {}),
    value,
  };
}

/**
 * XCN (provider) to a logical Reference: identifier XCN-1 in the system of XCN-9, display "given family".
 * @param rep - the repetition.
 * @returns the reference, or undefined when empty.
 */
export function xcnToReference(rep: Hl7Repetition | undefined): Reference<Practitioner> | undefined {
  const id = comp(rep, 1);
  const display = [comp(rep, 3), comp(rep, 4), comp(rep, 2)].filter(Boolean).join(' ');
  if (!id && !display) return undefined;
  const system = authoritySystem(comp(rep, 9, 1), comp(rep, 9, 2), comp(rep, 9, 3));
  return {
    type: 'Practitioner',
    ...(id ? { identifier: { ...(system ? { system } : {}), value: id } } : {}),
    ...(display ? { display } : {}),
  };
}
