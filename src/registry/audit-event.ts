import type { AuditEvent, AuditEventEntity, Bundle, Resource } from '@medplum/fhirtypes';

/** Who made a request, as far as the server knows. */
export interface Actor {
  /** `Practitioner/…`, `Patient/…`, `RelatedPerson/…` when known. */
  reference?: string;
  /** User name or client id, never a patient name. */
  name: string;
  /** OAuth client id, when the request carried a token. */
  clientId?: string;
  /** Network address of the caller. */
  address?: string;
  /** Role of the user or client. */
  role?: string;
}

/** The facts about one interaction that go into its AuditEvent. */
export interface AuditFacts {
  /** FHIR interaction code (`read`, `vread`, `search-type`, `create`, `update`, `patch`, `delete`, `history-*`, `operation`, `transaction`). */
  interaction: string;
  method: string;
  /** The request path and query (names and identifiers in a query are kept in the audit trail, which is protected). */
  query: string;
  status: number;
  actor: Actor;
  /** Resources returned or written. */
  resources: Resource[];
  /** Resource addressed by the URL, when the interaction failed before returning one. */
  target?: string;
  recorded: string;
}

/**
 * One entry of the audit trail as it is stored: the searchable facts of an AuditEvent in flat form (the audit trail
 * keeps one narrow row per event, see store/audit-trail.ts). The registry's own events are rebuilt from these
 * fields by {@link auditEventOf}; an AuditEvent imported from elsewhere keeps its own JSON beside them.
 */
export interface AuditRecord {
  /** When the event happened (instant). */
  recorded: string;
  /** AuditEvent.type code (`rest` for the registry's own events). */
  type: string;
  /** AuditEvent.subtype code: the FHIR interaction. */
  subtype: string;
  /** AuditEvent.action (C, R, U, D, E). */
  action: string;
  /** AuditEvent.outcome (0, 4, 8, 12). */
  outcome: string;
  /** HTTP status of the interaction, when known. */
  status?: number;
  agentName?: string;
  /** The requesting agent's reference (`Practitioner/…`, `Patient/…`). */
  agentRef?: string;
  /** OAuth client id (AuditEvent.agent.altId). */
  clientId?: string;
  role?: string;
  /** Network address of the caller. */
  address?: string;
  /** The request path and query. */
  query?: string;
  /** References of the entities, `Type/id`, each once: the patients first, then the other resources. */
  entities: string[];
  /** How many of `entities` are patients. */
  patientCount: number;
}

/** Largest number of entities recorded for one event (searches can return many). */
const MAX_ENTITIES = 2000;

const ACTION: Record<string, AuditEvent['action']> = { transaction: 'E', create: 'C', read: 'R', vread: 'R', 'search-type': 'E', 'search-system': 'E', update: 'U', patch: 'U', delete: 'D' };

/** Code systems of the AuditEvent elements the registry fills (https://hl7.org/fhir/R4/auditevent.html). */
export const AUDIT_SYSTEMS = {
  type: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  subtype: 'http://hl7.org/fhir/restful-interaction',
  action: 'http://hl7.org/fhir/audit-event-action',
  outcome: 'http://hl7.org/fhir/audit-event-outcome',
} as const;

/**
 * The patients a resource is about: itself for a Patient, else its `patient` / `subject` reference.
 * @param r - a resource.
 * @returns Patient references.
 */
function patientsOf(r: Resource): string[] {
  if (r.resourceType === 'Patient') return r.id ? [`Patient/${r.id}`] : [];
  const ref = (r as { patient?: { reference?: string }; subject?: { reference?: string } }).patient?.reference ??
    (r as { subject?: { reference?: string } }).subject?.reference;
  return ref?.startsWith('Patient/') ? [ref] : [];
}

/** The resources an interaction touched: those returned or written, and the entries of returned Bundles. */
function touchedBy(resources: Resource[]): Resource[] {
  const out: Resource[] = [];
  const keep = (r: Resource | undefined): void => {
    if (r && r.id && r.resourceType !== 'OperationOutcome') out.push(r);
  };
  for (const r of resources) {
    if (r.resourceType === 'Bundle') for (const e of (r as Bundle).entry ?? []) keep(e.resource);
    else keep(r);
  }
  return out;
}

/**
 * The audit record of one interaction (IHE BALP, https://profiles.ihe.net/ITI/BALP/): who, from where, what and
 * which patients, and the outcome. Patient identity appears only as references. Runs on every request, so it
 * builds the record directly.
 * @param facts - what happened.
 * @returns the record.
 */
export function auditRecordOf(facts: AuditFacts): AuditRecord {
  const touched = touchedBy(facts.resources);
  const patients = new Set<string>();
  for (const r of touched) for (const p of patientsOf(r)) if (patients.size < MAX_ENTITIES) patients.add(p);
  const entities = new Set(patients);
  for (const r of touched) if (entities.size < MAX_ENTITIES) entities.add(`${r.resourceType}/${r.id}`);
  if (!touched.length && facts.target) entities.add(facts.target);
  const { actor } = facts;
  const record: AuditRecord = {
    recorded: facts.recorded,
    type: 'rest',
    subtype: facts.interaction,
    action: ACTION[facts.interaction] ?? 'E',
    outcome: facts.status < 400 ? '0' : facts.status < 500 ? '4' : '8',
    status: facts.status,
    agentName: actor.name,
    entities: [...entities],
    patientCount: patients.size,
  };
  if (actor.reference) record.agentRef = actor.reference;
  if (actor.clientId) record.clientId = actor.clientId;
  if (actor.role) record.role = actor.role;
  if (actor.address) record.address = actor.address;
  if (facts.query) record.query = facts.query;
  return record;
}

/**
 * The AuditEvent of a record, following the FHIR RESTful audit pattern (https://hl7.org/fhir/R4/auditevent.html):
 * type `rest`, subtype the interaction, the requesting agent, the observer, the patients (role 1) and other
 * resources (role 4) as entities, the query as a base64 entity (role 24), and the outcome.
 * @param record - the stored record.
 * @param id - the event's id.
 * @returns the AuditEvent.
 */
export function auditEventOf(record: AuditRecord, id?: string): AuditEvent {
  const entities: AuditEventEntity[] = record.entities.map((ref, i) => {
    const [code, display] = i < record.patientCount ? ['1', 'Patient'] : ['4', 'Domain Resource'];
    return { what: { reference: ref }, type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code, display } };
  });
  if (record.query) entities.push({ type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2' }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '24', display: 'Query' }, query: Buffer.from(record.query).toString('base64') });
  const agentName = record.agentName ?? 'unknown';
  return {
    resourceType: 'AuditEvent',
    ...(id ? { id, meta: { versionId: '1', lastUpdated: record.recorded } } : {}),
    type: { system: AUDIT_SYSTEMS.type, code: record.type, ...(record.type === 'rest' ? { display: 'RESTful Operation' } : {}) },
    subtype: [{ system: AUDIT_SYSTEMS.subtype, code: record.subtype }],
    action: record.action as AuditEvent['action'],
    recorded: record.recorded,
    outcome: record.outcome as AuditEvent['outcome'],
    ...(record.outcome !== '0' && record.status ? { outcomeDesc: `HTTP ${record.status}` } : {}),
    agent: [
      {
        requestor: true,
        ...(record.agentRef ? { who: { reference: record.agentRef, display: agentName } } : { who: { display: agentName } }),
        ...(record.clientId ? { altId: record.clientId } : {}),
        ...(record.role ? { role: [{ text: record.role }] } : {}),
        ...(record.address ? { network: { address: record.address, type: '2' as const } } : {}),
      },
    ],
    source: { observer: { display: 'Open IIS FHIR server' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }] },
    ...(entities.length ? { entity: entities } : {}),
  };
}

/**
 * The searchable record of an AuditEvent written elsewhere (an NDJSON import from another registry): the requesting
 * agent (or the first), the entities' references with Patient references first, and the coded elements. The event's
 * own JSON is kept beside the record, so nothing of it is lost.
 * @param event - the AuditEvent.
 * @returns the record.
 */
export function auditRecordOfEvent(event: AuditEvent): AuditRecord {
  const agent = event.agent?.find((a) => a.requestor) ?? event.agent?.[0];
  const refs = (event.entity ?? []).map((e) => e.what?.reference).filter((r): r is string => !!r);
  const patients = [...new Set(refs.filter((r) => r.startsWith('Patient/')))];
  return {
    recorded: event.recorded ?? new Date(0).toISOString(),
    type: event.type?.code ?? 'rest',
    subtype: event.subtype?.[0]?.code ?? '',
    action: event.action ?? '',
    outcome: event.outcome ?? '',
    ...(agent?.who?.display ? { agentName: agent.who.display } : {}),
    ...(agent?.who?.reference ? { agentRef: agent.who.reference } : {}),
    ...(agent?.altId ? { clientId: agent.altId } : {}),
    ...(agent?.role?.[0]?.text ? { role: agent.role[0].text } : {}),
    ...(agent?.network?.address ? { address: agent.network.address } : {}),
    entities: [...new Set([...patients, ...refs])],
    patientCount: patients.length,
  };
}
