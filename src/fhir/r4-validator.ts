import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { CodeSystem, OperationOutcomeIssue, Resource, ValueSet } from '@medplum/fhirtypes';
import { listR4Resources } from './definitions.ts';
import { findEmptyValues } from './empty-values.ts';
import { passesStructurePrecheck } from './structure-precheck.ts';
import { RequiredBindingChecker } from './terminology/required-bindings.ts';
import { ValueSetExpander } from './terminology/value-set-expander.ts';

/** Result of validating one resource: R4 violations (400), profile violations (422) and warnings. */
export interface R4ValidationReport {
  base: OperationOutcomeIssue[];
  profile: OperationOutcomeIssue[];
  warnings: OperationOutcomeIssue[];
}

/** A profile check applied to resources of some types (see profile-rules.ts). */
export interface ProfileCheck {
  url: string;
  appliesTo: string;
  check(resource: Resource): OperationOutcomeIssue[];
}

/**
 * Validates resources against FHIR R4 (https://hl7.org/fhir/R4/validation.html): structure, cardinality, datatypes
 * and FHIRPath invariants through `@medplum/core` (a resource {@link passesStructurePrecheck} vouches for skips its
 * slower full walk), required bindings through {@link RequiredBindingChecker}, then the registry's profiles.
 * Loading expands nothing up front; value sets are expanded on first use and cached.
 */
export class R4Validator {
  private readonly bindings: RequiredBindingChecker;
  readonly expander: ValueSetExpander;

  /**
   * @param extraTerminology - the registry's own ValueSets and CodeSystems (profiles/).
   * @param profiles - profile checks, applied to every resource of their type and on request by URL.
   */
  constructor(
    extraTerminology: (ValueSet | CodeSystem)[] = [],
    private readonly profiles: ProfileCheck[] = [],
  ) {
    this.profiles = [...profiles];
    this.expander = new ValueSetExpander([
      ...listR4Resources<ValueSet>('valuesets.json', 'ValueSet'),
      ...listR4Resources<CodeSystem>('valuesets.json', 'CodeSystem'),
      ...listR4Resources<ValueSet>('v3-codesystems.json', 'ValueSet'),
      ...listR4Resources<CodeSystem>('v3-codesystems.json', 'CodeSystem'),
      ...extraTerminology,
    ]);
    this.bindings = new RequiredBindingChecker(this.expander);
  }

  /** @param check - a profile applied to every resource of its type from now on. */
  addProfile(check: ProfileCheck): void {
    this.profiles.push(check);
  }

  /**
   * @param resource - the resource.
   * @param options - extra profile URLs to check (`$validate?profile=`).
   * @returns the report.
   */
  validate(resource: Resource, options: { profiles?: string[] } = {}): R4ValidationReport {
    const base: OperationOutcomeIssue[] = [];
    const warnings: OperationOutcomeIssue[] = [];
    try {
      // The full validator runs when the pre-check cannot vouch for the resource; it writes the error messages.
      if (!passesStructurePrecheck(resource)) validateResource(resource);
    } catch (err) {
      if (!(err instanceof OperationOutcomeError)) throw err;
      for (const i of err.outcome.issue ?? []) (i.severity === 'error' || i.severity === 'fatal' ? base : warnings).push(i);
    }
    const known = new Set(base.flatMap((i) => i.expression ?? []));
    base.push(...findEmptyValues(resource).filter((i) => !known.has(i.expression?.[0] ?? '')));
    base.push(...this.bindings.check(resource));
    const wanted = new Set(options.profiles ?? []);
    const profile: OperationOutcomeIssue[] = [];
    for (const p of this.profiles) {
      if (p.appliesTo === resource.resourceType || wanted.has(p.url)) profile.push(...p.check(resource));
    }
    return { base, profile, warnings };
  }
}
