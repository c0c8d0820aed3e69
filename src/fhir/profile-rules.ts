import { evalFhirPathTyped, parseFhirPath, toTypedValue, type TypedValue } from '@medplum/core';
import type { CodeableConcept, Coding, ElementDefinition, OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import type { ProfileCheck } from './r4-validator.ts';
import type { ValueSetExpander } from './terminology/value-set-expander.ts';

function issue(code: OperationOutcomeIssue['code'], text: string, expression: string): OperationOutcomeIssue {
  return { severity: 'error', code, details: { text }, expression: [expression] };
}

function isTrue(result: TypedValue[]): boolean {
  return result.length === 1 && result[0]?.value === true;
}

interface CompiledElement {
  path: string;
  /** FHIRPath from the resource to the element, or undefined for the root. */
  navigation?: ReturnType<typeof parseFhirPath>;
  min: number;
  valueSet?: string;
  constraints: { key: string; human: string; atom: ReturnType<typeof parseFhirPath> }[];
}

function compile(el: ElementDefinition, type: string): CompiledElement {
  const path = el.path as string;
  const rel = path === type ? '' : path.slice(type.length + 1).replace(/\[x\]/g, '');
  return {
    path,
    ...(rel ? { navigation: parseFhirPath(rel) } : {}),
    min: el.min ?? 0,
    ...(el.binding?.strength === 'required' && el.binding.valueSet ? { valueSet: el.binding.valueSet } : {}),
    constraints: (el.constraint ?? [])
      .filter((c) => c.severity === 'error' && c.expression)
      .map((c) => ({ key: c.key as string, human: c.human ?? c.key ?? 'constraint', atom: parseFhirPath(c.expression as string) })),
  };
}

/**
 * Turns a constraint StructureDefinition from profiles/ into a check, interpreting its differential: `min`
 * (required elements), required bindings to the registry's value sets, and error constraints in FHIRPath
 * (https://hl7.org/fhir/R4/profiling.html). Data drives the rules: changing a profile needs no code.
 * @param sd - the profile.
 * @param expander - value sets for bindings.
 * @returns the check.
 */
export function compileProfile(sd: StructureDefinition, expander: ValueSetExpander): ProfileCheck {
  const type = sd.type as string;
  const elements = (sd.differential?.element ?? []).map((e) => compile(e, type));
  const label = sd.title ?? sd.name ?? sd.url;
  return {
    url: sd.url as string,
    appliesTo: type,
    check(resource: Resource): OperationOutcomeIssue[] {
      const issues: OperationOutcomeIssue[] = [];
      const root = [toTypedValue(resource)];
      for (const el of elements) {
        const values = el.navigation ? evalFhirPathTyped(el.navigation, root) : root;
        if (values.length < el.min) {
          issues.push(issue('required', `${el.path} is required by the ${label} profile`, el.path));
          continue;
        }
        if (el.valueSet) {
          const exp = expander.expand(el.valueSet);
          for (const v of exp ? values : []) {
            if (!inValueSet(v, exp as NonNullable<typeof exp>)) {
              issues.push(issue('code-invalid', `${el.path} must be a code from ${el.valueSet} (${label} profile)`, el.path));
            }
          }
        }
        for (const c of el.constraints) {
          for (const v of values) {
            if (!isTrue(evalFhirPathTyped(c.atom, [v], { '%resource': root[0] as TypedValue, '%context': v }))) {
              issues.push(issue('invariant', `${c.human} (${c.key}, ${label} profile)`, el.path));
            }
          }
        }
      }
      return issues;
    },
  };
}

function inValueSet(v: TypedValue, exp: { bySystem: Map<string, Set<string>>; codes: Set<string> }): boolean {
  const coding = (c: Coding): boolean => !!c.code && (c.system ? !!exp.bySystem.get(c.system)?.has(c.code) : exp.codes.has(c.code));
  if (typeof v.value === 'string') return exp.codes.has(v.value);
  if (v.type === 'Coding') return coding(v.value as Coding);
  if (v.type === 'CodeableConcept') return ((v.value as CodeableConcept).coding ?? []).some(coding);
  return true;
}
