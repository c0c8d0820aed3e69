import type { OperationDefinition } from '@medplum/fhirtypes';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';

/** Where an operation was invoked (https://hl7.org/fhir/R4/operations.html#invoking). */
export interface OperationTarget {
  level: 'system' | 'type' | 'instance';
  resourceType?: string;
  id?: string;
}

/** An operation implementation: its definition (from `conformance/`) and its handler. */
export interface OperationHandler {
  definition: OperationDefinition;
  handle(req: FhirRequest, ctx: FhirContext, target: OperationTarget): Promise<FhirResponse>;
}

/** The operations the server offers, by name without `$`. */
export class OperationRegistry {
  private readonly ops = new Map<string, OperationHandler>();

  /** @param handler - an operation to offer. */
  register(handler: OperationHandler): void {
    this.ops.set(handler.definition.code, handler);
  }

  /** @param code - the operation name without `$`. @returns the handler, if any. */
  get(code: string): OperationHandler | undefined {
    return this.ops.get(code);
  }

  /** @returns every registered operation. */
  list(): OperationHandler[] {
    return [...this.ops.values()];
  }
}
