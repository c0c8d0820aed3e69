import type { Immunization, Observation, Patient, Provenance, ProvenanceAgent, RelatedPerson, Resource } from '@medplum/fhirtypes';
import { REPORTING_ORG_SYSTEM } from '../../auth/policy.ts';
import { hl7Issue, mapVxu, type CodeTables, type Hl7Issue, type ParsedMessage, type VxuImmunization } from '../../hl7v2/index.ts';
import { FhirError } from '../../fhir/outcomes.ts';
import type { FhirContext } from '../../interactions/types.ts';
import { searchFhir, writeFhir } from './fhir-calls.ts';
import { identifyPatient, mergePatient } from './identify-patient.ts';
import type { SenderIdentity } from './sender-context.ts';
import { newResourceId } from '../../fhir/resource-id.ts';
import { sameContent } from '../../fhir/same-content.ts';

/** What a VXU did. */
export interface VxuOutcome {
  issues: Hl7Issue[];
  /** Resources created or updated, `Type/id`. */
  touched: string[];
}

/** Identifier system of filler order numbers (ORC-3), per sender: the same order from the same sender is one dose. */
export const fillerSystem = (facilityId: string): string => `urn:iis:filler-order:${encodeURIComponent(facilityId)}`;

/** Shared antigens of two CVX codes: doses of the same vaccine group on the same day are one dose. */
export type SameVaccineGroup = (cvxA: string, cvxB: string) => boolean;

const cvxOf = (imm: Immunization): string | undefined => imm.vaccineCode?.coding?.find((c) => c.system === 'http://hl7.org/fhir/sid/cvx')?.code;
const reportedBy = (imm: Immunization): string | undefined => imm.meta?.tag?.find((t) => t.system === REPORTING_ORG_SYSTEM)?.code;

/**
 * Writes a resource; when the write's own validation refuses it (400/422: R4, profiles, record rules), returns the
 * problems as ERR issues at the segment it came from instead of throwing, so the rest of the message is kept. Each
 * resource is validated once, by the interaction.
 */
async function tryWrite<T extends Resource>(ctx: FhirContext, method: 'POST' | 'PUT', resource: T, at: { segment: string; sequence: number }, out: VxuOutcome, severity: 'E' | 'W' = 'E'): Promise<T | undefined> {
  try {
    return await writeFhir(ctx, method, resource);
  } catch (err) {
    if (!(err instanceof FhirError) || (err.status !== 400 && err.status !== 422)) throw err;
    const issues = err.outcome.issue ?? [];
    out.issues.push(...issues.map((i) => hl7Issue(at, '102', severity, `${i.expression?.[0] ?? resource.resourceType}: ${i.details?.text ?? i.diagnostics ?? 'invalid'}`, '2')));
    return undefined;
  }
}

/**
 * The doses a message's records are matched against, loaded once per message (one search, none for a patient the
 * message creates), and kept current as the message writes doses.
 */
class DoseBook {
  private readonly doses = new Map<string, Immunization>();
  /** Doses this message wrote: a reused filler number never points at one of them. */
  private readonly written = new Set<string>();

  constructor(onRecord: Immunization[]) {
    for (const d of onRecord) if (d.id) this.doses.set(d.id, d);
  }

  /** @param imm - a dose just written by this message. */
  wrote(imm: Immunization): void {
    if (!imm.id) return;
    this.doses.set(imm.id, imm);
    this.written.add(imm.id);
  }

  /**
   * The stored dose a record is (spec §3 matching key): the dose of the same filler order number (ORC-3) from the same
   * sender when exactly one dose of the patient has it and this message did not write it (senders reuse one filler
   * number for several doses: NIST CNI `197027^DCS`, iz-qr-1.2 `197028`); otherwise a dose of the same vaccine group
   * on the same day with the same done / not-done status.
   */
  find(dose: VxuImmunization, facilityId: string, same: SameVaccineGroup): Immunization | undefined {
    const all = [...this.doses.values()];
    if (dose.fillerOrderNumber) {
      const system = fillerSystem(facilityId);
      const byOrder = all.filter((i) => i.identifier?.some((x) => x.system === system && x.value === dose.fillerOrderNumber));
      const only = byOrder.length === 1 ? byOrder[0] : undefined;
      if (only && !this.written.has(only.id ?? '')) return only;
    }
    const day = dose.resource.occurrenceDateTime?.slice(0, 10);
    const cvx = cvxOf(dose.resource);
    if (!day || !cvx) return undefined;
    return all.find((i) => {
      if (i.status === 'entered-in-error' || i.occurrenceDateTime?.slice(0, 10) !== day) return false;
      const other = cvxOf(i);
      return other !== undefined && (other === cvx || same(other, cvx)) && (i.status === 'not-done') === (dose.resource.status === 'not-done');
    });
  }
}

/**
 * Loads the patient's doses for {@link DoseBook}: every dose of the patient (the registry keeps a person's whole
 * history small), entered-in-error ones included so a filler order still finds its deleted dose.
 */
async function loadDoseBook(ctx: FhirContext, patientId: string, isNew: boolean): Promise<DoseBook> {
  if (isNew) return new DoseBook([]);
  return new DoseBook(await searchFhir<Immunization>(ctx, 'Immunization', [['patient', `Patient/${patientId}`], ['_count', '1000']], true));
}

async function writeDose(ctx: FhirContext, patientId: string, dose: VxuImmunization, sender: SenderIdentity, same: SameVaccineGroup, out: VxuOutcome, book: DoseBook): Promise<string | undefined> {
  const at = { segment: 'RXA', sequence: dose.rxaSequence };
  const imm: Immunization = { ...dose.resource, patient: { reference: `Patient/${patientId}` } };
  if (dose.fillerOrderNumber) imm.identifier = [...(imm.identifier ?? []), { system: fillerSystem(sender.facilityId), value: dose.fillerOrderNumber }];
  const match = book.find(dose, sender.facilityId, same);
  if (dose.actionCode === 'D') {
    if (!match) {
      out.issues.push(hl7Issue({ ...at, field: 21 }, '0', 'W', 'Action code D: no matching dose on record; nothing deleted', '5'));
      return;
    }
    if (reportedBy(match) && reportedBy(match) !== sender.organizationId) {
      out.issues.push(hl7Issue({ ...at, field: 21 }, '0', 'W', 'Action code D: the dose was reported by another provider and was kept', '5'));
      return;
    }
    const stored = await writeFhir(ctx, 'PUT', { ...match, status: 'entered-in-error' });
    book.wrote(stored);
    out.touched.push(`Immunization/${stored.id}`);
    return;
  }
  if (match && reportedBy(match) && reportedBy(match) !== sender.organizationId) {
    // The same dose reported by another provider: theirs stays the record (no duplicate, no overwrite).
    out.issues.push(hl7Issue(at, '0', 'I', 'This dose is already on record from another provider; not duplicated', '5'));
    return;
  }
  if (match && reportedBy(match) === sender.organizationId && sameContent(match, { ...imm, id: match.id }, { ignoreMeta: true })) {
    // Re-sent as it is on record (EHRs resend whole histories): concerned by the message, but no new version.
    out.touched.push(`Immunization/${match.id}`);
    book.wrote(match);
    return match.id;
  }
  const stored = await tryWrite(ctx, match ? 'PUT' : 'POST', match ? { ...imm, id: match.id } : imm, at, out);
  if (stored) {
    out.touched.push(`Immunization/${stored.id}`);
    book.wrote(stored);
  }
  return stored?.id;
}

/**
 * One Provenance per distinct enterer (ORC-10 entered by, ORC-17 entering organization; spec §2: Provenance),
 * targeting the doses it entered; doses without ORC-10/17 get none.
 */
function entererProvenances(entered: { id: string; agent: ProvenanceAgent }[], sender: SenderIdentity, source: Provenance['entity'], now: Date): Provenance[] {
  const groups = new Map<string, { agent: ProvenanceAgent; ids: string[] }>();
  for (const e of entered) {
    const key = JSON.stringify(e.agent);
    const g = groups.get(key) ?? { agent: e.agent, ids: [] };
    g.ids.push(e.id);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    resourceType: 'Provenance',
    target: g.ids.map((id) => ({ reference: `Immunization/${id}` })),
    recorded: now.toISOString(),
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }] },
    agent: [g.agent, { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }] }, who: { reference: `Organization/${sender.organizationId}`, display: sender.name } }],
    ...(source ? { entity: source } : {}),
  }));
}

async function writeRelatedPersons(ctx: FhirContext, patientId: string, isNew: boolean, people: RelatedPerson[], out: VxuOutcome): Promise<void> {
  if (!people.length) return;
  // A patient this message creates has no related persons yet: no lookup.
  const existing = isNew ? [] : await searchFhir<RelatedPerson>(ctx, 'RelatedPerson', [['patient', `Patient/${patientId}`], ['_count', '100']], true);
  const key = (r: RelatedPerson): string => `${r.name?.[0]?.family ?? ''}|${r.name?.[0]?.given?.[0] ?? ''}|${r.relationship?.[0]?.coding?.[0]?.code ?? ''}`.toLowerCase();
  for (const [i, person] of people.entries()) {
    const rp: RelatedPerson = { ...person, patient: { reference: `Patient/${patientId}` } };
    const match = existing.find((e) => key(e) === key(rp));
    if (match && sameContent(match, { ...rp, id: match.id })) {
      out.touched.push(`RelatedPerson/${match.id}`);
      continue;
    }
    const stored = await tryWrite(ctx, match ? 'PUT' : 'POST', match ? { ...rp, id: match.id } : rp, { segment: 'NK1', sequence: i + 1 }, out, 'W');
    if (stored) out.touched.push(`RelatedPerson/${stored.id}`);
  }
}

async function writeObservations(ctx: FhirContext, patientId: string, isNew: boolean, observations: Observation[], out: VxuOutcome): Promise<void> {
  if (!observations.length) return;
  // Evidence of immunity and the like arrive again with every resent history: one record of each is enough.
  const existing = isNew ? [] : await searchFhir<Observation>(ctx, 'Observation', [['subject', `Patient/${patientId}`], ['_count', '200']], true);
  for (const o of observations) {
    const obs: Observation = { ...o, subject: { reference: `Patient/${patientId}` } };
    const same = existing.find((e) => sameContent(e, { ...obs, id: e.id }, { ignoreMeta: true }));
    if (same) {
      out.touched.push(`Observation/${same.id}`);
      continue;
    }
    // An observation the registry cannot keep is dropped silently, as before: the dose records carry the message.
    const stored = await tryWrite(ctx, 'POST', obs, { segment: 'OBX', sequence: 1 }, { issues: [], touched: [] });
    if (stored) out.touched.push(`Observation/${stored.id}`);
  }
}

/**
 * VXU^V04 (Z22) intake per the CDC IG for Immunization Messaging R1.5: the patient is identified or created, NK1
 * persons, doses and patient observations are written through the FHIR interactions as the sender, each dose
 * de-duplicated (same filler order from the same sender, or same patient, vaccine group and day), action code D
 * marks a dose entered-in-error, and a Provenance records the message. Run inside one transaction: the ACK is sent
 * only after it commits. Patient-level errors (no usable PID) store nothing; record-level errors drop that record.
 * @param ctx - the sender's context, bound to the transaction.
 * @param msg - the parsed message.
 * @param tables - CDC code tables.
 * @param sender - the sender.
 * @param same - whether two CVX codes belong to one vaccine group.
 * @param now - the time of receipt.
 * @returns issues for the ACK and the resources touched.
 */
export async function intakeVxu(ctx: FhirContext, msg: ParsedMessage, tables: CodeTables, sender: SenderIdentity, same: SameVaccineGroup, now: Date): Promise<VxuOutcome> {
  const mapping = mapVxu(msg, tables, { now });
  const out: VxuOutcome = { issues: [...mapping.issues], touched: [] };
  if (mapping.issues.some((i) => i.severity === 'E' && (i.segment === 'PID' || i.segment === 'MSH'))) return out;
  const incoming: Patient = mapping.patient;
  for (const id of incoming.identifier ?? []) if (id.system && id.value) await ctx.repo.lockKey(`hl7-patient:${id.system}|${id.value}`);
  const found = await identifyPatient(ctx, incoming);
  let patient: Patient;
  if (found.kind === 'new') {
    if (found.ambiguous > 1) out.issues.push(hl7Issue({ segment: 'PID', sequence: 1, field: 5 }, '0', 'W', 'Several registry patients match these demographics; a new record was created for review', '5'));
    patient = { ...incoming, id: newResourceId() };
  } else {
    patient = mergePatient(found.patient, incoming);
    if (!mapping.protected && patient.meta?.security) {
      const security = patient.meta.security.filter((s) => s.code !== 'R');
      if (security.length) patient.meta.security = security;
      else delete patient.meta.security;
    }
  }
  // A patient the registry cannot accept stores nothing of the message (the doses need it).
  const unchanged = found.kind !== 'new' && sameContent(found.patient, patient);
  const stored = unchanged ? patient : await tryWrite(ctx, found.kind === 'new' ? 'POST' : 'PUT', patient, { segment: 'PID', sequence: 1 }, out);
  if (!stored) return out;
  const pid = stored.id as string;
  out.touched.push(`Patient/${pid}`);
  const isNew = found.kind === 'new';
  await writeRelatedPersons(ctx, pid, isNew, mapping.relatedPersons, out);
  const book = await loadDoseBook(ctx, pid, isNew);
  const entered: { id: string; agent: ProvenanceAgent }[] = [];
  for (const dose of mapping.immunizations) {
    if (dose.rejected || dose.noVaccine) continue;
    const id = await writeDose(ctx, pid, dose, sender, same, out, book);
    if (id && dose.enteredBy) entered.push({ id, agent: dose.enteredBy });
  }
  await writeObservations(ctx, pid, isNew, mapping.patientObservations, out);
  const source: Provenance['entity'] = [
    { role: 'source', what: { identifier: { system: 'urn:iis:hl7v2-message', value: `${sender.facilityId}|${msg.header.controlId}` }, display: `VXU ${msg.header.controlId}` } },
  ];
  const provenance: Provenance = {
    resourceType: 'Provenance',
    target: out.touched.map((reference) => ({ reference })),
    recorded: now.toISOString(),
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }] },
    agent: [{ who: { reference: `Organization/${sender.organizationId}`, display: sender.name } }],
    entity: source,
  };
  await writeFhir(ctx, 'POST', provenance);
  for (const p of entererProvenances(entered, sender, source, now)) await writeFhir(ctx, 'POST', p);
  return out;
}
