import type { AuditEvent, Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { Core } from '../core.ts';
import { handleFhirRequest } from '../interactions/router.ts';
import { AUDIT_EVENT, insertAuditEntries } from '../store/audit-trail.ts';
import { refreshStatistics } from '../store/statistics.ts';
import { auditRecordOfEvent } from './audit-event.ts';

/** Types written before the types that refer to them. */
const LOAD_ORDER = ['Organization', 'Location', 'Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson', 'Group', 'Consent', 'Immunization', 'ImmunizationEvaluation', 'ImmunizationRecommendation', 'Provenance'];

/** Result of an import. */
export interface ImportReport {
  loaded: number;
  failed: { line: string; status: string; message: string }[];
}

/**
 * Imports FHIR NDJSON (https://hl7.org/fhir/uv/bulkdata/ — one resource per line) through the normal interactions:
 * each resource keeps its id (PUT), is validated and indexed like any write, and batches of resources go in one
 * transaction (AuditEvents go to the audit trail instead, see importAuditEvents). A batch that fails is retried one
 * resource at a time so one bad line never loses the rest. The planner's statistics are refreshed at the end, so
 * the imported data is searched with plans that fit it.
 * @param core - the registry core.
 * @param lines - NDJSON lines of any types.
 * @param options - batch size and progress callback.
 * @returns how many loaded and which failed.
 */
export async function importNdjson(core: Core, lines: string[], options: { batchSize?: number; onProgress?: (n: number) => void } = {}): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 200;
  const all = lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as Resource);
  const resources = all.filter((r) => r.resourceType !== AUDIT_EVENT);
  const rank = (r: Resource): number => {
    const i = LOAD_ORDER.indexOf(r.resourceType);
    return i < 0 ? LOAD_ORDER.length : i;
  };
  resources.sort((a, b) => rank(a) - rank(b));
  const report: ImportReport = { loaded: 0, failed: [] };
  const entry = (r: Resource): BundleEntry => ({ resource: r, request: { method: r.id ? 'PUT' : 'POST', url: r.id ? `${r.resourceType}/${r.id}` : r.resourceType } });
  for (let i = 0; i < resources.length; i += batchSize) {
    const batch = resources.slice(i, i + batchSize);
    const tx: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: batch.map(entry) };
    const res = await handleFhirRequest({ method: 'POST', path: '', query: [], headers: { prefer: 'return=minimal' }, body: tx }, core.systemContext('import')).catch(() => undefined);
    if (res?.status === 200) {
      report.loaded += batch.length;
    } else {
      const single = await handleFhirRequest(
        { method: 'POST', path: '', query: [], headers: { prefer: 'return=minimal' }, body: { resourceType: 'Bundle', type: 'batch', entry: batch.map(entry) } },
        core.systemContext('import'),
      );
      (single.resource as Bundle).entry?.forEach((e, j) => {
        const status = e.response?.status ?? '500';
        if (status.startsWith('2')) report.loaded++;
        else {
          const r = batch[j] as Resource;
          report.failed.push({ line: `${r.resourceType}/${r.id ?? ''}`, status, message: e.response?.outcome?.issue?.map((x) => x.details?.text).join('; ') ?? '' });
        }
      });
    }
    options.onProgress?.(Math.min(i + batchSize, resources.length));
  }
  await importAuditEvents(core, all.filter((r): r is AuditEvent => r.resourceType === AUDIT_EVENT), report);
  if (report.loaded) await refreshStatistics(core.db);
  return report;
}

/**
 * Appends AuditEvents from another system to the audit trail (which no FHIR interaction writes to): each is
 * validated against R4, keeps its JSON, and gets a new id in the trail's order; an invalid one is reported.
 */
async function importAuditEvents(core: Core, events: AuditEvent[], report: ImportReport): Promise<void> {
  const valid: AuditEvent[] = [];
  for (const e of events) {
    const issues = core.services.validator.validate(e).base;
    if (issues.length) report.failed.push({ line: `${AUDIT_EVENT}/${e.id ?? ''}`, status: '400', message: issues.map((i) => i.details?.text ?? i.diagnostics).join('; ') });
    else valid.push(e);
  }
  valid.sort((a, b) => (a.recorded ?? '').localeCompare(b.recorded ?? ''));
  for (let i = 0; i < valid.length; i += 500) {
    const batch = valid.slice(i, i + 500);
    await insertAuditEntries(core.db, batch.map((e) => {
      const { id: _id, meta: _meta, ...rest } = e;
      return { record: auditRecordOfEvent(e), content: JSON.stringify(rest) };
    }));
    report.loaded += batch.length;
  }
}
