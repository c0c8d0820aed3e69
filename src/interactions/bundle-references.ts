import type { BundleEntry } from '@medplum/fhirtypes';
import { newResourceId } from '../fhir/resource-id.ts';
import { FhirError, badRequest, errorIssue, outcome, preconditionFailed } from '../fhir/outcomes.ts';
import type { FhirContext, FhirRequest } from './types.ts';
import { findConditionalMatches } from './write.ts';
import { parseQueryString } from './common.ts';

/** A conditional reference that matched nothing (yet: a later entry of the same transaction may create it). */
export class UnresolvedReferenceError extends FhirError {
  /** @param text - message. */
  constructor(text: string) {
    super(412, outcome([errorIssue('not-found', text)]));
  }
}

/**
 * Decides the id of every entry that creates or updates, before anything is written, so `urn:uuid:` references
 * between entries can be rewritten (https://hl7.org/fhir/R4/bundle.html#references): plain POSTs get a new id,
 * conditional creates and updates take the id of their single match (or a new one).
 * @param ctx - context in the transaction.
 * @param entries - Bundle entries.
 * @param requests - their requests (conditional PUTs are rewritten to PUT by id).
 * @returns map from each entry's fullUrl to its `Type/id`.
 */
export async function assignBundleIds(ctx: FhirContext, entries: BundleEntry[], requests: FhirRequest[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i] as FhirRequest;
    const fullUrl = entries[i]?.fullUrl;
    const type = r.path.split('/')[0] as string;
    let id: string | undefined;
    if (r.method === 'POST' && r.path && !r.path.includes('/')) {
      if (r.headers.ifNoneExist) {
        const matches = await findConditionalMatches(ctx, type, parseQueryString(r.headers.ifNoneExist));
        if (matches.length > 1) throw preconditionFailed(`Bundle.entry[${i}]: If-None-Exist matched more than one ${type}`);
        id = matches[0]?.id;
      }
      if (!id) {
        id = newResourceId();
        r.assignedId = id;
      }
    } else if ((r.method === 'PUT' || r.method === 'PATCH') && r.path && !r.path.includes('/') && r.query.length) {
      const matches = await findConditionalMatches(ctx, type, r.query);
      if (matches.length > 1) throw preconditionFailed(`Bundle.entry[${i}]: conditional ${r.method} matched more than one ${type}`);
      id = matches[0]?.id ?? (r.method === 'PUT' ? ((r.body as { id?: string } | undefined)?.id ?? newResourceId()) : undefined);
      if (!id) throw preconditionFailed(`Bundle.entry[${i}]: conditional PATCH matched no ${type}`);
      r.path = `${type}/${id}`;
      r.query = [];
    } else if (r.method === 'PUT' && /^[A-Z][A-Za-z]+\/[^/]+$/.test(r.path)) {
      id = r.path.split('/')[1];
    }
    if (fullUrl && id) map.set(fullUrl, `${type}/${id}`);
  }
  return map;
}

/**
 * Rewrites the references of one entry's resource just before it is written: `urn:uuid:` full URLs become the
 * assigned `Type/id`, and conditional references (`Patient?identifier=…`) become the single resource they match,
 * including resources written earlier in the same transaction (https://hl7.org/fhir/R4/http.html#trules).
 * @param ctx - context in the transaction.
 * @param body - the entry's resource.
 * @param map - fullUrl to `Type/id`.
 * @returns the resource with references rewritten.
 */
export async function rewriteReferences(ctx: FhirContext, body: unknown, map: Map<string, string>): Promise<unknown> {
  // One synchronous copy (most references are fullUrls in the map, or plain); only conditional references wait for a
  // search, resolved afterwards in document order. The path of a node is only spelled out for an error or a search.
  const pending: { holder: Record<string, unknown>; ref: string; where: string }[] = [];
  const at: string[] = [];
  const where = (): string => at.join('');
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      return node.map((n, i) => {
        at.push(`[${i}]`);
        const v = visit(n);
        at.pop();
        return v;
      });
    }
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      at.push(at.length ? `.${k}` : k);
      if (k === 'reference' && typeof v === 'string') {
        const mapped = map.get(v);
        if (mapped) out[k] = mapped;
        else if (v.startsWith('urn:uuid:') || v.startsWith('urn:oid:')) throw badRequest(`Reference ${v} does not match the fullUrl of any entry in the Bundle`, where());
        else {
          out[k] = v;
          if (CONDITIONAL.test(v)) pending.push({ holder: out, ref: v, where: where() });
        }
      } else {
        out[k] = visit(v);
      }
      at.pop();
    }
    return out;
  };
  const type = (body as { resourceType?: string })?.resourceType;
  if (type) at.push(type);
  const out = visit(body);
  for (const p of pending) p.holder['reference'] = await resolveConditional(ctx, p.ref, p.where);
  return out;
}

const CONDITIONAL = /^([A-Z][A-Za-z]+)\?(.+)$/;

async function resolveConditional(ctx: FhirContext, ref: string, where: string): Promise<string> {
  const cond = CONDITIONAL.exec(ref) as RegExpExecArray;
  const type = cond[1] as string;
  if (!ctx.services.resourceTypes.has(type)) throw badRequest(`Conditional reference to unsupported type ${type}`, where);
  const matches = await findConditionalMatches(ctx, type, parseQueryString(cond[2] as string));
  if (matches.length === 0) throw new UnresolvedReferenceError(`Conditional reference ${ref} at ${where} matched no resource`);
  if (matches.length !== 1) {
    throw preconditionFailed(`Conditional reference ${ref} at ${where} matched ${matches.length === 0 ? 'no' : 'more than one'} resource`);
  }
  return `${type}/${matches[0]?.id}`;
}
