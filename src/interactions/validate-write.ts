import type { Resource } from '@medplum/fhirtypes';
import { FhirError, outcome } from '../fhir/outcomes.ts';
import { checkRecordRules } from '../registry/record-rules.ts';
import type { FhirContext } from './types.ts';

/**
 * Validates a resource before it is stored: R4 structure, cardinality, datatypes, required bindings and
 * invariants (400), then the registry's profiles and record rules (422). Every issue is reported at once, each
 * with its FHIRPath `expression` (https://hl7.org/fhir/R4/http.html#2.21.0.8).
 * @param resource - the resource to store.
 * @param ctx - the interaction context.
 */
export async function validateForWrite(resource: Resource, ctx: FhirContext): Promise<void> {
  const report = ctx.services.validator.validate(resource);
  if (report.base.length) throw new FhirError(400, outcome([...report.base, ...report.profile]));
  if (report.profile.length) throw new FhirError(422, outcome(report.profile));
  if (ctx.deferredRules) ctx.deferredRules.push(resource);
  else await checkRecordRules(resource, ctx.repo);
}
