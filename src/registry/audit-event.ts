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

/** Largest number of entities recorded for one event (searches can return many). */
const MAX_ENTITIES = 2000;

const ACTION: Record<string, AuditEvent['action']> = { transaction: 'E', create: 'C', read: 'R', vread: 'R', 'search-type': 'E', 'search-system': 'E', update: 'U', patch: 'U', delete: 'D' };

/**
 * The patients a resource is about: itself for a Patient, else its `patient` / `subject` reference.
 * @param r - a resource.
 * @returns Patient references.
 */
export function patientsOf(r: Resource): string[] {
  if (r.resourceType === 'Patient') return r.id ? [`Patient/${r.id}`] : [];
  const ref = (r as { patient?: { reference?: string }; subject?: { reference?: string } }).patient?.reference ??
    (r as { subject?: { reference?: string } }).subject?.reference;
  return ref?.startsWith('Patient/') ? [ref] : [];
}

/** Flattens a Bundle's entries so the audit sees the resources inside searches and transactions. */
function flatten(resources: Resource[]): Resource[] {
  return resources.flatMap((r) => (r.resourceType === 'Bundle' ? ((r as Bundle).entry ?? []).map((e) => e.resource).filter((x): x is Resource => !!x) : [r]));
}

/**
 * Builds the AuditEvent of one interaction, following the FHIR RESTful audit pattern
 * (https://hl7.org/fhir/R4/auditevent.html, IHE BALP): type `rest`, subtype the interaction, who, from where, what
 * and which patients, and the outcome. Patient identity appears only as references.
 * @param facts - what happened.
 * @returns the AuditEvent.
 */
export function buildAuditEvent(facts: AuditFacts): AuditEvent {
  const touched = flatten(facts.resources).filter((r) => r.resourceType !== 'OperationOutcome' && r.id);
  const entities: AuditEventEntity[] = [];
  const seen = new Set<string>();
  const add = (ref: string, role: string, display: string): void => {
    if (seen.has(ref) || entities.length >= MAX_ENTITIES) return;
    seen.add(ref);
    entities.push({ what: { reference: ref }, type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: role, display } });
  };
  for (const r of touched) for (const p of patientsOf(r)) add(p, '1', 'Patient');
  for (const r of touched) add(`${r.resourceType}/${r.id}`, '4', 'Domain Resource');
  if (!touched.length && facts.target) add(facts.target, '4', 'Domain Resource');
  if (facts.query) entities.push({ type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2' }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '24', display: 'Query' }, query: Buffer.from(facts.query).toString('base64') });
  const outcome: AuditEvent['outcome'] = facts.status < 400 ? '0' : facts.status < 500 ? '4' : '8';
  return {
    resourceType: 'AuditEvent',
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: facts.interaction }],
    action: ACTION[facts.interaction] ?? 'E',
    recorded: facts.recorded,
    outcome,
    ...(outcome !== '0' ? { outcomeDesc: `HTTP ${facts.status}` } : {}),
    agent: [
      {
        requestor: true,
        ...(facts.actor.reference ? { who: { reference: facts.actor.reference, display: facts.actor.name } } : { who: { display: facts.actor.name } }),
        ...(facts.actor.clientId ? { altId: facts.actor.clientId } : {}),
        ...(facts.actor.role ? { role: [{ text: facts.actor.role }] } : {}),
        ...(facts.actor.address ? { network: { address: facts.actor.address, type: '2' as const } } : {}),
      },
    ],
    source: { observer: { display: 'Open IIS FHIR server' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }] },
    ...(entities.length ? { entity: entities } : {}),
  };
}
