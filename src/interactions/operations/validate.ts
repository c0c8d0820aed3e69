import type { OperationOutcomeIssue, Parameters, Resource } from '@medplum/fhirtypes';
import { badRequest, outcome } from '../../fhir/outcomes.ts';
import { checkRecordRules } from '../../registry/record-rules.ts';
import { FhirError } from '../../fhir/outcomes.ts';
import definition from '../../../conformance/OperationDefinition-validate.json' with { type: 'json' };
import type { OperationHandler } from './registry.ts';
import type { OperationDefinition } from '@medplum/fhirtypes';

function resourceFromBody(body: unknown): { resource?: Resource; mode?: string; profile?: string } {
  const b = body as Resource | undefined;
  if (!b || typeof b !== 'object') return {};
  if (b.resourceType !== 'Parameters') return { resource: b };
  const params = (b as Parameters).parameter ?? [];
  return {
    resource: params.find((p) => p.name === 'resource')?.resource,
    mode: params.find((p) => p.name === 'mode')?.valueCode,
    profile: params.find((p) => p.name === 'profile')?.valueUri ?? params.find((p) => p.name === 'profile')?.valueCanonical,
  };
}

/**
 * `$validate` at type and instance level (https://hl7.org/fhir/R4/resource-operation-validate.html): runs the same
 * checks as a write and always answers 200 with an OperationOutcome listing every issue; nothing is stored.
 */
export const validateOperation: OperationHandler = {
  definition: definition as OperationDefinition,
  async handle(req, ctx, target) {
    const { resource, mode, profile } = resourceFromBody(req.body);
    const queryProfile = req.query.find(([k]) => k === 'profile')?.[1];
    if (mode === 'delete') {
      return { status: 200, resource: outcome([{ severity: 'information', code: 'informational', details: { text: 'Delete is allowed' } }]) };
    }
    if (!resource) throw badRequest('$validate needs a resource in the body or in a "resource" parameter');
    if (target.resourceType && resource.resourceType !== target.resourceType) {
      throw badRequest(`Resource type ${resource.resourceType} does not match ${target.resourceType}`, 'resourceType');
    }
    if (target.id && resource.id && resource.id !== target.id) throw badRequest('Resource id does not match the URL', `${resource.resourceType}.id`);
    const profiles = [profile, queryProfile].filter((p): p is string => !!p);
    const report = ctx.services.validator.validate(resource, profiles.length ? { profiles } : {});
    const issues: OperationOutcomeIssue[] = [...report.base, ...report.profile, ...report.warnings];
    if (!report.base.length && !report.profile.length) {
      try {
        await checkRecordRules(resource, ctx.repo);
      } catch (err) {
        if (err instanceof FhirError) issues.push(...(err.outcome.issue ?? []));
        else throw err;
      }
    }
    if (!issues.length) issues.push({ severity: 'information', code: 'informational', details: { text: 'Validation successful: no issues found' } });
    return { status: 200, resource: outcome(issues) };
  },
};
