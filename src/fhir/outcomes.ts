import { OperationOutcomeError } from '@medplum/core';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/**
 * The one error type of the registry: an OperationOutcome plus the HTTP status it maps to
 * (https://hl7.org/fhir/R4/http.html#summary). Everything thrown by interactions is one of these or is turned into
 * a 500 by the error handler.
 */
export class FhirError extends OperationOutcomeError {
  /**
   * @param status - HTTP status code.
   * @param outcome - the OperationOutcome describing the problem.
   */
  constructor(
    readonly status: number,
    outcome: OperationOutcome,
  ) {
    super(outcome);
  }
}

/**
 * Builds an OperationOutcome from issues.
 * @param issues - the issues.
 * @returns the OperationOutcome resource.
 */
export function outcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

/**
 * One error issue.
 * @param code - the IssueType code (https://hl7.org/fhir/R4/valueset-issue-type.html).
 * @param text - human-readable message.
 * @param expression - FHIRPath location of the element at fault, when there is one.
 * @returns the issue.
 */
export function errorIssue(code: OperationOutcomeIssue['code'], text: string, expression?: string): OperationOutcomeIssue {
  return {
    severity: 'error',
    code,
    details: { text },
    ...(expression ? { expression: [expression] } : {}),
  };
}

/** @param text - message. @param expression - FHIRPath or parameter name. @returns a 400 FhirError. */
export function badRequest(text: string, expression?: string): FhirError {
  return new FhirError(400, outcome([errorIssue('invalid', text, expression)]));
}

/** @param text - message. @returns a 404 FhirError. */
export function notFound(text: string): FhirError {
  return new FhirError(404, outcome([errorIssue('not-found', text)]));
}

/** @param text - message. @returns a 410 FhirError (resource deleted). */
export function gone(text: string): FhirError {
  return new FhirError(410, outcome([errorIssue('deleted', text)]));
}

/** @param text - message. @returns a 409 FhirError. */
export function conflict(text: string): FhirError {
  return new FhirError(409, outcome([errorIssue('conflict', text)]));
}

/** @param text - message. @returns a 412 FhirError (precondition failed). */
export function preconditionFailed(text: string): FhirError {
  return new FhirError(412, outcome([errorIssue('conflict', text)]));
}

/** @param text - message. @returns a 403 FhirError (the caller may not do this: https://hl7.org/fhir/R4/http.html#2.21.0.5). */
export function forbidden(text: string): FhirError {
  return new FhirError(403, outcome([errorIssue('forbidden', text)]));
}

/** @param text - message. @returns a 405 FhirError. */
export function notSupported(text: string, status = 405): FhirError {
  return new FhirError(status, outcome([errorIssue('not-supported', text)]));
}

/** @param text - message. @returns an informational OperationOutcome for successful operations. */
export function informational(text: string): OperationOutcome {
  return outcome([{ severity: 'information', code: 'informational', details: { text } }]);
}
