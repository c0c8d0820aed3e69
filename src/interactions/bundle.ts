import type { Bundle, BundleEntry, BundleEntryResponse, Resource } from '@medplum/fhirtypes';
import { FhirError, badRequest, errorIssue, outcome } from '../fhir/outcomes.ts';
import type { AuditFacts } from '../registry/audit-event.ts';
import { recordUnitAudit } from './audit.ts';
import { checkRecordRulesMany } from '../registry/record-rules.ts';
import { parseQueryString } from './common.ts';
import { UnresolvedReferenceError, assignBundleIds, rewriteReferences } from './bundle-references.ts';
import type { FhirContext, FhirMethod, FhirRequest, FhirResponse } from './types.ts';

/** Dispatches one interaction; passed in to avoid an import cycle with the router. */
export type Dispatch = (req: FhirRequest, ctx: FhirContext) => Promise<FhirResponse>;

/** Processing order of a transaction (https://hl7.org/fhir/R4/http.html#trules). */
const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

/** Largest number of entries accepted in one Bundle. */
export const MAX_BUNDLE_ENTRIES = 10_000;

function entryRequest(entry: BundleEntry, index: number): FhirRequest {
  const r = entry.request;
  if (!r?.method || !r.url) throw badRequest(`Bundle.entry[${index}].request needs a method and a url`, `Bundle.entry[${index}].request`);
  const method = r.method.toUpperCase();
  if (!(method in ORDER)) throw badRequest(`Unsupported method ${r.method}`, `Bundle.entry[${index}].request.method`);
  const url = r.url.replace(/^\//, '');
  const q = url.indexOf('?');
  return {
    method: (method === 'HEAD' ? 'GET' : method) as FhirMethod,
    path: q >= 0 ? url.slice(0, q) : url,
    query: q >= 0 ? parseQueryString(url.slice(q + 1)) : [],
    headers: {
      ...(r.ifMatch ? { ifMatch: r.ifMatch } : {}),
      ...(r.ifNoneExist ? { ifNoneExist: r.ifNoneExist } : {}),
      ...(r.ifNoneMatch ? { ifNoneMatch: r.ifNoneMatch } : {}),
      ...(r.ifModifiedSince ? { ifModifiedSince: r.ifModifiedSince } : {}),
    },
    ...(entry.resource ? { body: entry.resource } : {}),
  };
}

function toEntry(res: FhirResponse, base: string): BundleEntry {
  const response: BundleEntryResponse = { status: String(res.status) };
  if (res.location) response.location = res.location.startsWith(base) ? res.location.slice(base.length + 1) : res.location;
  if (res.versionId) response.etag = `W/"${res.versionId}"`;
  if (res.lastModified) response.lastModified = res.lastModified;
  const resource = res.resource ?? (res.text ? (JSON.parse(res.text) as Resource) : undefined);
  if (resource?.resourceType === 'OperationOutcome' && res.status >= 400) return { response: { ...response, outcome: resource } };
  return { ...(resource ? { resource } : {}), response };
}

function errorEntry(err: unknown, index: number): BundleEntry {
  if (err instanceof FhirError) {
    return { response: { status: String(err.status), outcome: err.outcome } };
  }
  return { response: { status: '500', outcome: outcome([errorIssue('exception', `Entry ${index} failed with an internal error`)]) } };
}

/**
 * Processes a batch or transaction Bundle posted to the base (https://hl7.org/fhir/R4/http.html#transaction).
 * A transaction runs in one database transaction, all or nothing, in the prescribed order (DELETE, POST,
 * PUT/PATCH, GET) after resolving `urn:uuid:` and conditional references; batch entries succeed or fail alone.
 * @param req - the request carrying the Bundle.
 * @param ctx - context.
 * @param dispatch - the interaction dispatcher for entries.
 * @returns the transaction-response or batch-response.
 */
export async function bundleInteraction(req: FhirRequest, ctx: FhirContext, dispatch: Dispatch): Promise<FhirResponse> {
  const bundle = req.body as Bundle | undefined;
  if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle') throw badRequest('POST to the base takes a Bundle', 'resourceType');
  if (bundle.type !== 'batch' && bundle.type !== 'transaction') throw badRequest(`Bundle.type must be batch or transaction, got "${bundle.type}"`, 'Bundle.type');
  const entries = bundle.entry ?? [];
  if (entries.length > MAX_BUNDLE_ENTRIES) throw new FhirError(413, outcome([errorIssue('too-costly', `A Bundle may hold at most ${MAX_BUNDLE_ENTRIES} entries`)]));
  const base = ctx.services.fhirBaseUrl;
  if (bundle.type === 'batch') {
    const out: BundleEntry[] = [];
    for (let i = 0; i < entries.length; i++) {
      try {
        const r = entryRequest(entries[i] as BundleEntry, i);
        if (r.path === '' && r.method === 'POST') throw badRequest('Bundles cannot be nested', `Bundle.entry[${i}]`);
        out.push(toEntry(await dispatch({ ...r, headers: { ...r.headers, prefer: req.headers.prefer } }, ctx), base));
      } catch (err) {
        out.push(errorEntry(err, i));
      }
    }
    return { status: 200, resource: { resourceType: 'Bundle', type: 'batch-response', entry: out } };
  }
  // Entry audit facts wait for the transaction's outcome and become one AuditEvent for the whole transaction,
  // listing every patient and resource it touched; a rolled-back transaction is recorded as failed.
  const auditPending: AuditFacts[] = [];
  const record = (status: number): void => recordUnitAudit(ctx.services, auditPending, status, 'transaction');
  try {
    const res = await runTransaction(req, ctx, dispatch, entries, auditPending);
    record(200);
    return res;
  } catch (err) {
    record(err instanceof FhirError ? err.status : 500);
    throw err;
  }
}

async function runTransaction(req: FhirRequest, ctx: FhirContext, dispatch: Dispatch, entries: BundleEntry[], auditPending: AuditFacts[]): Promise<FhirResponse> {
  const base = ctx.services.fhirBaseUrl;
  return ctx.repo.transaction(async (repo) => {
    const deferredRules: Resource[] = [];
    const pendingForecasts = new Set<string>();
    const txCtx: FhirContext = { ...ctx, repo, deferredRules, auditPending, pendingForecasts };
    const requests = entries.map((e, i) => entryRequest(e, i));
    const ids = await assignBundleIds(txCtx, entries, requests);
    // Lock every resource the transaction updates or deletes in one statement instead of one per entry.
    await repo.lockMany(
      requests
        .filter((r) => r.method === 'PUT' || r.method === 'PATCH' || r.method === 'DELETE')
        .map((r) => r.path.split('/'))
        .filter((p) => p.length === 2)
        .map(([type, id]) => ({ type: type as string, id: id as string })),
    );
    const order = requests.map((_, i) => i).sort((a, b) => (ORDER[(requests[a] as FhirRequest).method] as number) - (ORDER[(requests[b] as FhirRequest).method] as number) || a - b);
    const results: BundleEntry[] = new Array(entries.length);
    const queue = [...order];
    const retried = new Set<number>();
    while (queue.length) {
      const i = queue.shift() as number;
      const r = requests[i] as FhirRequest;
      if (r.path === '' && r.method === 'POST') throw badRequest('Bundles cannot be nested', `Bundle.entry[${i}]`);
      if (r.method === 'GET' && deferredRules.length) await checkAll(deferredRules, repo);
      try {
        const body = r.body ? await rewriteReferences(txCtx, r.body, ids) : undefined;
        results[i] = toEntry(await dispatch({ ...r, ...(body ? { body } : {}), headers: { ...r.headers, prefer: req.headers.prefer } }, txCtx), base);
      } catch (err) {
        // A conditional reference to a resource a later entry of the same group creates: try once more after it.
        const later = queue.some((j) => ORDER[(requests[j] as FhirRequest).method] === ORDER[r.method]);
        if (err instanceof UnresolvedReferenceError && later && !retried.has(i)) {
          retried.add(i);
          const end = queue.findIndex((j) => (ORDER[(requests[j] as FhirRequest).method] as number) > (ORDER[r.method] as number));
          queue.splice(end < 0 ? queue.length : end, 0, i);
          continue;
        }
        throw annotate(err, i);
      }
    }
    await checkAll(deferredRules, repo);
    if (ctx.services.forecast) await repo.queueForecasts([...pendingForecasts]);
    return { status: 200, resource: { resourceType: 'Bundle', type: 'transaction-response', entry: results } as Bundle };
  });
}

async function checkAll(resources: Resource[], repo: FhirContext['repo']): Promise<void> {
  const pending = resources.splice(0);
  try {
    await checkRecordRulesMany(pending, repo);
  } catch (err) {
    throw annotate(err, undefined, 'a record rule');
  }
}

/** Adds which entry failed to an error so the client can find it in a rolled-back transaction. */
function annotate(err: unknown, index?: number, what?: string): unknown {
  if (!(err instanceof FhirError)) return err;
  const where = index !== undefined ? `Bundle.entry[${index}]` : what;
  const issues = (err.outcome.issue ?? []).map((i) => ({ ...i, diagnostics: `${where}: transaction rolled back${i.diagnostics ? `; ${i.diagnostics}` : ''}` }));
  return new FhirError(err.status, { ...err.outcome, issue: issues });
}

