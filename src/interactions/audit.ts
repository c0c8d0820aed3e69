import type { Resource } from '@medplum/fhirtypes';
import { FhirError } from '../fhir/outcomes.ts';
import { auditRecordOf, type AuditFacts } from '../registry/audit-event.ts';
import type { FhirContext, FhirRequest, FhirResponse, Services } from './types.ts';

/**
 * Names the FHIR interaction of a request (https://hl7.org/fhir/R4/valueset-type-restful-interaction.html), or
 * undefined for requests that touch no patient data (metadata) or are audited entry by entry (bundles).
 * @param req - the request.
 * @returns the interaction code.
 */
export function interactionOf(req: FhirRequest): string | undefined {
  const parts = req.path.split('/').filter(Boolean);
  const last = parts.at(-1) ?? '';
  if (parts.length === 0) return req.method === 'GET' ? 'search-system' : undefined;
  if (parts[0] === 'metadata') return undefined;
  if (last.startsWith('$')) return 'operation';
  if (parts.includes('_history')) return parts.length === 4 ? 'vread' : parts.length === 3 ? 'history-instance' : parts.length === 2 ? 'history-type' : 'history-system';
  if (parts.length === 1 || last === '_search') return req.method === 'GET' || last === '_search' ? 'search-type' : req.method === 'POST' ? 'create' : req.method === 'PUT' ? 'update' : req.method === 'PATCH' ? 'patch' : 'delete';
  if (parts.length === 3) return 'search-type';
  return { GET: 'read', PUT: 'update', PATCH: 'patch', DELETE: 'delete', POST: 'create' }[req.method];
}

/** The patient of a stored resource's JSON text, found without parsing it (the read fast path stays fast). */
const PATIENT_IN_TEXT = /"(?:patient|subject)": ?\{[^{}]*?"reference": ?"(Patient\/[^"]+)"/;

function responseResources(req: FhirRequest, res: FhirResponse | undefined): Resource[] {
  if (!res) return [];
  if (res.resource) return [res.resource];
  if (res.text) {
    const [type, id] = req.path.split('/');
    const patient = type === 'Patient' ? undefined : PATIENT_IN_TEXT.exec(res.text)?.[1];
    return [{ resourceType: type, id, ...(patient ? { patient: { reference: patient } } : {}) } as Resource];
  }
  return [];
}

/**
 * Runs an interaction and records its AuditEvent (who, what, which patients, when, from where, outcome). Inside a
 * transaction bundle the facts wait for the transaction's outcome; everywhere else they go to the audit writer.
 * @param req - the request.
 * @param ctx - the context.
 * @param run - the interaction.
 * @returns the interaction's response.
 */
export async function withAudit(req: FhirRequest, ctx: FhirContext, run: () => Promise<FhirResponse>): Promise<FhirResponse> {
  const interaction = interactionOf(req);
  const sink = ctx.services.audit;
  if (!interaction || !sink || (ctx.internalLookup && req.method === 'GET')) return run();
  const facts = (status: number, res?: FhirResponse): AuditFacts => {
    const resources = responseResources(req, res);
    const written = !resources.length && res?.location ? /\/([A-Z][A-Za-z]+)\/([^/]+)\/_history/.exec(res.location) : null;
    const second = req.path.indexOf('/', req.path.indexOf('/') + 1);
    return {
      interaction,
      method: req.method,
      query: req.query.length ? `${req.path}?${new URLSearchParams(req.query).toString()}` : req.path,
      status,
      actor: ctx.actor ?? { name: 'anonymous' },
      resources: resources.length ? resources : written ? [{ resourceType: written[1], id: written[2] } as Resource] : [],
      ...(req.path.includes('/') ? { target: second < 0 ? req.path : req.path.slice(0, second) } : {}),
      recorded: new Date().toISOString(),
    };
  };
  const emit = (f: AuditFacts): void => {
    if (ctx.auditPending) ctx.auditPending.push(f);
    else sink.record(auditRecordOf(f));
  };
  try {
    const res = await run();
    emit(facts(res.status, res));
    return res;
  } catch (err) {
    emit(facts(err instanceof FhirError ? err.status : 500));
    throw err;
  }
}

/**
 * Records the writes of one unit of work (a transaction bundle, an HL7 v2 message) as a single AuditEvent once its
 * outcome is known: interaction `transaction`, every patient and resource its entries touched, and the unit's status
 * (https://hl7.org/fhir/R4/http.html#trules: the outcome is that of the whole unit). Nothing is recorded when no
 * entry left facts.
 * @param services - the services (their audit writer).
 * @param facts - the entries' audit facts, in order.
 * @param status - the unit's outcome (200 committed, else the error status of its rollback).
 * @param label - what the unit was (`transaction`, `hl7v2 VXU <MSH-10>`); no patient data.
 */
export function recordUnitAudit(services: Services, facts: AuditFacts[], status: number, label: string): void {
  const first = facts[0];
  if (!first || !services.audit) return;
  const interactions = [...new Set(facts.map((f) => f.interaction))].join(',');
  services.audit.record(auditRecordOf({ ...first, interaction: 'transaction', method: 'POST', query: `${label}: ${interactions}`, status, resources: facts.flatMap((f) => f.resources) }));
}
