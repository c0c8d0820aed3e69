import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { ResourceValidator, ValidationReport } from './types.ts';

/**
 * Structural R4 validation through `@medplum/core` only; used until the full validator (required bindings and
 * profiles) is wired in.
 */
export class BasicValidator implements ResourceValidator {
  validate(resource: Resource): ValidationReport {
    try {
      validateResource(resource);
      return { base: [], profile: [], warnings: [] };
    } catch (err) {
      if (err instanceof OperationOutcomeError) {
        const issues = err.outcome.issue ?? [];
        return {
          base: issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'),
          profile: [],
          warnings: issues.filter((i) => i.severity === 'warning'),
        };
      }
      throw err;
    }
  }
}
