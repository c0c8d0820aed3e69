/**
 * One ORC/RXA/RXR/OBX group of a VXU to a FHIR Immunization (CDC IG R1.5 section 6 "ORC", "RXA", "RXR";
 * HL7 V2-to-FHIR RXA[Immunization] map; RXA-9, RXA-18 and OBX follow the CDC guide).
 */
import type { CodeableConcept, Coding, Immunization, Observation, ProvenanceAgent } from '@medplum/fhirtypes';
import { hl7Issue, type Hl7Issue } from './issues.ts';
import { reps, val, type Hl7Segment } from './segments.ts';
import { authoritySystem, ceTriplets, codingOf, parseTs, systemOf, xcnToReference } from './datatypes.ts';
import { cvxOfNdc, TABLE_URLS, type CodeTables } from './code-tables.ts';
import { ROUTES, HL70162_TO_NCIT, SITES } from './v2-tables.ts';
import { mapObservations, PATIENT_PLACEHOLDER } from './obx-to-fhir.ts';
import { mapOrderEnterer } from './orc-to-provenance.ts';

/** The segments of one immunization record. */
export interface DoseGroup {
  orc?: Hl7Segment;
  rxa: Hl7Segment;
  rxr?: Hl7Segment;
  obx: Hl7Segment[];
}

/** One mapped RXA. */
export interface DoseMapping {
  resource: Immunization;
  actionCode: 'A' | 'U' | 'D';
  fillerOrderNumber?: string;
  placerOrderNumber?: string;
  /** ORC-10 entered by / ORC-17 entering organization as a Provenance agent (type enterer) of this dose. */
  enteredBy?: ProvenanceAgent;
  /** 1-based occurrence of the RXA in the message. */
  rxaSequence: number;
  /** True when an error (severity E) makes the record unusable; the issues say why. */
  rejected: boolean;
  /** RXA-5 = 998 (no vaccine administered): the record only carries patient observations. */
  noVaccine: boolean;
  observations: Observation[];
  issues: Hl7Issue[];
}

const FUNCTION = (code: 'AP' | 'OP', display: string): CodeableConcept => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0443', code, display }] });

function vaccineCode(rxa: Hl7Segment, tables: CodeTables, issues: Hl7Issue[]): CodeableConcept | undefined {
  const at = { segment: 'RXA', sequence: rxa.sequence, field: 5 };
  const triplets = ceTriplets(reps(rxa, 5)[0]);
  if (!triplets.length) {
    issues.push(hl7Issue(at, '101', 'E', 'Required field RXA-5 administered code is missing', '7'));
    return undefined;
  }
  const codings: Coding[] = triplets.map(codingOf);
  const sent = triplets.find((t) => t.system.toUpperCase() === 'CVX');
  let cvx = sent?.code;
  if (!cvx) {
    for (const t of triplets) {
      const s = t.system.toUpperCase();
      cvx = s === 'NDC' ? cvxOfNdc(t.code, tables) : s === 'CPT' || s === 'C4' ? tables.cptToCvx.get(t.code) : undefined;
      if (cvx) break;
    }
  }
  const known = cvx ? tables.cvx.get(cvx) : undefined;
  if (!cvx || !known) {
    const what = cvx ? `CVX ${cvx}` : `code ${triplets[0]?.code} (${triplets[0]?.system || 'no system'})`;
    issues.push(hl7Issue({ ...at, component: 1 }, '103', 'E', `RXA-5 vaccine ${what} is not recognized`, '5'));
    return undefined;
  }
  const cvxCoding: Coding = { system: TABLE_URLS.cvx, code: cvx, display: known.display };
  return { coding: [cvxCoding, ...codings.filter((c) => !(c.system === TABLE_URLS.cvx && c.code === cvx))], ...(sent?.display || triplets[0]?.display ? { text: sent?.display || triplets[0]?.display } : {}) };
}

function occurrence(rxa: Hl7Segment, now: Date, birthDate: string | undefined, issues: Hl7Issue[]): string | undefined {
  const at = { segment: 'RXA', sequence: rxa.sequence, field: 3 };
  const raw = val(rxa, 3);
  const ts = parseTs(raw);
  if (!raw) issues.push(hl7Issue(at, '101', 'E', 'Required field RXA-3 date/time start of administration is missing', '7'));
  else if (!ts || ts.date.length !== 10) issues.push(hl7Issue(at, '102', 'E', 'RXA-3 administration date is not a valid date', '2'));
  else if (ts.date > now.toISOString().slice(0, 10)) issues.push(hl7Issue(at, '999', 'E', 'RXA-3 administration date is in the future', '1'));
  else if (birthDate && ts.date < birthDate) issues.push(hl7Issue(at, '999', 'E', 'RXA-3 administration date is before the date of birth', '1'));
  else return ts.dateTime;
  return undefined;
}

function routeAndSite(rxr: Hl7Segment | undefined, imm: Immunization, issues: Hl7Issue[]): void {
  if (!rxr) return;
  const at = (field: number) => ({ segment: 'RXR', sequence: rxr.sequence, field, component: 1 });
  const route = ceTriplets(reps(rxr, 1)[0]);
  if (route.length) {
    const ncit = route.map((t) => (t.system.toUpperCase() === 'NCIT' ? t.code : HL70162_TO_NCIT[t.code.toUpperCase()])).find((c) => c && ROUTES[c]);
    const r = ncit ? ROUTES[ncit] : undefined;
    if (r) {
      imm.route = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', code: r.v3, display: r.display }, { system: systemOf('NCIT'), code: r.ncit, display: r.display }] };
    } else issues.push(hl7Issue(at(1), '103', 'W', `RXR-1 route ${route[0]?.code} is not recognized; route will not be saved`, '5'));
  }
  const site = ceTriplets(reps(rxr, 2)[0])[0];
  if (site) {
    const display = SITES[site.code.toUpperCase()];
    if (display) imm.site = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActSite', code: site.code.toUpperCase(), display }] };
    else issues.push(hl7Issue(at(2), '103', 'W', `RXR-2 site ${site.code} is not recognized; site will not be saved`, '5'));
  }
}

function coded(seg: Hl7Segment, field: number, table: ReadonlyMap<string, { display: string }>, system: string, what: string, issues: Hl7Issue[]): CodeableConcept | undefined {
  const t = ceTriplets(reps(seg, field)[0])[0];
  if (!t) return undefined;
  const known = table.get(t.code);
  if (known) return { coding: [{ system, code: t.code, display: known.display || t.display }] };
  issues.push(hl7Issue({ segment: seg.name, sequence: seg.sequence, field, component: 1 }, '103', 'W', `${seg.name}-${field} ${what} ${t.code} is not recognized; value ignored`, '5'));
  return undefined;
}

function orderIdentifiers(orc: Hl7Segment | undefined): { identifier: NonNullable<Immunization['identifier']>; placer?: string; filler?: string } {
  const identifier: NonNullable<Immunization['identifier']> = [];
  const add = (field: number, code: 'PLAC' | 'FILL') => {
    const value = val(orc, field, 1);
    if (!value) return undefined;
    const system = authoritySystem(val(orc, field, 2), val(orc, field, 3), val(orc, field, 4));
    identifier.push({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: code }] }, ...(system ? { system } : {}), value });
    return value;
  };
  const placer = add(2, 'PLAC');
  const filler = add(3, 'FILL');
  // ORC-3 9999 is the CDC IG placeholder for "no order" (refusals, forecasts): not an identifier to match on.
  return { identifier, ...(placer ? { placer } : {}), ...(filler && filler !== '9999' ? { filler } : {}) };
}

/**
 * Maps one dose group. Required RXA-3 and RXA-5 and an unknown CVX (also when derived from NDC/CPT with the
 * ndc-to-cvx / cpt-to-cvx ConceptMaps) give errors that reject the record; unknown codes in other fields give
 * warnings and the value is dropped. RXA-9 00 is primarySource true, others false with reportOrigin NIP001;
 * RXA-20 CP/PA completed (PA subpotent), RE/NA not-done; RXA-18 refusal reason is statusReason.
 * @param group - the ORC/RXA/RXR/OBX segments.
 * @param tables - the code tables.
 * @param ctx - the current time and the patient's birth date.
 * @returns the mapping.
 */
export function mapDose(group: DoseGroup, tables: CodeTables, ctx: { now: Date; birthDate?: string }): DoseMapping {
  const { rxa, rxr, orc } = group;
  const issues: Hl7Issue[] = [];
  const at = (field: number) => ({ segment: 'RXA', sequence: rxa.sequence, field });
  const code = vaccineCode(rxa, tables, issues);
  const noVaccine = code?.coding?.[0]?.code === '998';
  const date = occurrence(rxa, ctx.now, ctx.birthDate, issues);
  const completion = (val(rxa, 20) || 'CP').toUpperCase();
  if (!['CP', 'PA', 'RE', 'NA'].includes(completion)) issues.push(hl7Issue(at(20), '103', 'W', `RXA-20 completion status ${completion} is not in HL70322; taken as CP`, '5'));
  const status: Immunization['status'] = completion === 'RE' || completion === 'NA' ? 'not-done' : 'completed';
  const action = (val(rxa, 21) || 'A').toUpperCase();
  if (!['A', 'U', 'D'].includes(action)) issues.push(hl7Issue(at(21), '103', 'E', `RXA-21 action code ${action} is not in HL70206`, '5'));
  const order = orderIdentifiers(orc);
  const imm: Immunization = {
    resourceType: 'Immunization',
    status,
    vaccineCode: code ?? { text: 'unknown' },
    patient: { reference: PATIENT_PLACEHOLDER },
    ...(order.identifier.length ? { identifier: order.identifier } : {}),
    ...(date ? { occurrenceDateTime: date } : {}),
  };
  const recorded = parseTs(val(rxa, 22));
  if (recorded) imm.recorded = recorded.dateTime;
  const amount = val(rxa, 6);
  if (amount && amount !== '999') {
    if (/^\d*\.?\d+$/.test(amount)) {
      const unit = val(rxa, 7, 1) || 'mL';
      imm.doseQuantity = { value: Number(amount), unit, system: 'http://unitsofmeasure.org', code: unit };
    } else issues.push(hl7Issue(at(6), '102', 'W', 'RXA-6 administered amount is not a number; amount ignored', '4'));
  }
  if (completion === 'PA') imm.isSubpotent = true;
  const source = val(rxa, 9);
  if (source === '00') imm.primarySource = true;
  else if (source) {
    imm.primarySource = false;
    const origin = coded(rxa, 9, tables.nip001, TABLE_URLS.nip001, 'information source', issues);
    if (origin) imm.reportOrigin = origin;
  }
  const performer: NonNullable<Immunization['performer']> = [];
  const administering = xcnToReference(reps(rxa, 10)[0]);
  if (administering) performer.push({ function: FUNCTION('AP', 'Administering Provider'), actor: administering });
  const ordering = xcnToReference(reps(orc, 12)[0]);
  if (ordering) performer.push({ function: FUNCTION('OP', 'Ordering Provider'), actor: ordering });
  if (performer.length) imm.performer = performer;
  const facility = val(rxa, 11, 4, 1);
  if (facility) {
    const system = authoritySystem('', val(rxa, 11, 4, 2), val(rxa, 11, 4, 3));
    imm.location = { type: 'Location', identifier: { ...(system ? { system } : { system: 'urn:iis:facility' }), value: facility }, display: facility };
  }
  const lot = val(rxa, 15);
  if (lot) imm.lotNumber = lot;
  const exp = val(rxa, 16);
  if (exp) {
    const d = parseTs(exp);
    if (d) imm.expirationDate = d.date;
    else issues.push(hl7Issue(at(16), '102', 'W', 'RXA-16 expiration date is not a valid date; value ignored', '2'));
  }
  const mvx = coded(rxa, 17, tables.mvx, TABLE_URLS.mvx, 'manufacturer (MVX)', issues)?.coding?.[0];
  if (mvx) imm.manufacturer = { identifier: { system: TABLE_URLS.mvx, value: mvx.code }, display: mvx.display };
  const refusal = coded(rxa, 18, tables.nip002, TABLE_URLS.nip002, 'refusal reason (NIP002)', issues);
  if (refusal) imm.statusReason = refusal;
  const indication = reps(rxa, 19).map((r) => ceTriplets(r)[0]).filter((t) => t !== undefined);
  if (indication.length) imm.reasonCode = indication.map((t) => ({ coding: [codingOf(t)] }));
  routeAndSite(rxr, imm, issues);
  const obx = mapObservations(group.obx, tables, issues, code?.coding?.[0]?.code);
  if (obx.programEligibility) imm.programEligibility = obx.programEligibility;
  if (obx.fundingSource) imm.fundingSource = obx.fundingSource;
  if (obx.education?.length) imm.education = obx.education;
  if (obx.reaction) imm.reaction = obx.reaction;
  const enteredBy = mapOrderEnterer(orc);
  return {
    resource: imm,
    actionCode: (['A', 'U', 'D'].includes(action) ? action : 'A') as 'A' | 'U' | 'D',
    ...(order.filler ? { fillerOrderNumber: order.filler } : {}),
    ...(order.placer ? { placerOrderNumber: order.placer } : {}),
    ...(enteredBy ? { enteredBy } : {}),
    rxaSequence: rxa.sequence,
    rejected: issues.some((i) => i.severity === 'E'),
    noVaccine,
    observations: obx.observations,
    issues,
  };
}

