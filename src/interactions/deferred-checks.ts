import type { AuditFacts } from '../registry/audit-event.ts';
import { recordUnitAudit } from './audit.ts';
import { checkRecordRulesMany } from '../registry/record-rules.ts';
import type { FhirContext } from './types.ts';

/** A context whose writes defer their cross-record checks, and the call that makes them. */
export interface DeferredUnit {
  /** The context to write with (same repository, deferring lists attached). */
  ctx: FhirContext;
  /**
   * Runs what the writes deferred, set-based, before the unit of work commits: the record rules of every written
   * resource (one read of the patients not written in the unit), the access checks (one probe per type and
   * permission) and the forecast queue (in the statement that flushes the writes). Throws like the writes would
   * have (422, 403), so the caller's transaction rolls back.
   */
  finish(): Promise<void>;
  /**
   * Records the unit's writes as one AuditEvent (interaction `transaction`, every patient and resource written), once
   * its outcome is known, as a transaction bundle's are; nothing is recorded when it wrote nothing.
   * @param status - the unit's outcome (200 committed, else the error status of its rollback).
   * @param label - what the unit was, for the event's query (e.g. `hl7v2 VXU <MSH-10>`); no patient data.
   */
  audit(status: number, label: string): void;
}

/**
 * Lets one unit of work that writes many resources through the interactions (HL7 v2 VXU intake) keep every rule of
 * a single write while paying for the cross-record checks once: structure and profile validation still run on each
 * write (so a bad record can be reported and skipped), but the record rules, the access probe and the forecast
 * queue — which each need the buffered writes flushed — run once in {@link DeferredUnit.finish}, and its writes are
 * audited as one event, as a transaction bundle does (https://hl7.org/fhir/R4/http.html#trules: the outcome is
 * that of the whole unit).
 * @param ctx - the context, its repository inside the unit's transaction.
 * @returns the deferring context and its finish step.
 */
export function deferChecks(ctx: FhirContext): DeferredUnit {
  const deferredRules: NonNullable<FhirContext['deferredRules']> = [];
  const deferredAccess: NonNullable<FhirContext['deferredAccess']> = [];
  const pendingForecasts = new Set<string>();
  const auditPending: AuditFacts[] = [];
  const unit: FhirContext = { ...ctx, deferredRules, deferredAccess, pendingForecasts, auditPending };
  return {
    ctx: unit,
    audit(status, label) {
      recordUnitAudit(ctx.services, auditPending.splice(0), status, label);
    },
    async finish() {
      // Queued first, so the queue rows ride in the statement that flushes the unit's writes.
      if (ctx.services.forecast && pendingForecasts.size) await ctx.repo.queueForecasts([...pendingForecasts]);
      await checkRecordRulesMany(deferredRules.splice(0), ctx.repo);
      await ctx.repo.assertAccessMany(deferredAccess.splice(0));
    },
  };
}
