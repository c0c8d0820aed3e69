import { tryGetDataType, type InternalSchemaElement } from '@medplum/core';
import type { CodeableConcept, Coding, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { ValueSetExpander } from './value-set-expander.ts';

const PRIMITIVE_CODE = new Set(['code']);

function issue(text: string, expression: string): OperationOutcomeIssue {
  return { severity: 'error', code: 'code-invalid', details: { text }, expression: [expression] };
}

type FoundElement = { el: InternalSchemaElement; type: string } | undefined;

/**
 * {@link elementFor}'s answers per type and property name (the R4 definitions do not change once loaded). Only
 * properties the type defines are kept, so unknown names sent by clients cannot grow it.
 */
const known = new Map<string, Map<string, FoundElement>>();

function cachedElementFor(typeName: string, elements: Record<string, InternalSchemaElement>, key: string): FoundElement {
  let byKey = known.get(typeName);
  if (!byKey) known.set(typeName, (byKey = new Map()));
  let element = byKey.get(key);
  if (!element) {
    element = elementFor(elements, key);
    if (element) byKey.set(key, element);
  }
  return element;
}

/** Finds the element definition of a JSON property, including choice types (`deceasedBoolean` -> `deceased[x]`). */
function elementFor(elements: Record<string, InternalSchemaElement>, key: string): FoundElement {
  const direct = elements[key];
  if (direct) return { el: direct, type: direct.type[0]?.code ?? '' };
  for (const [name, el] of Object.entries(elements)) {
    if (!name.endsWith('[x]')) continue;
    const base = name.slice(0, -3);
    if (key.startsWith(base) && key.length > base.length) {
      const suffix = key.slice(base.length);
      const t = el.type.find((x) => x.code.toLowerCase() === suffix.toLowerCase());
      if (t) return { el, type: t.code };
    }
  }
  return undefined;
}

/**
 * Checks required terminology bindings (https://hl7.org/fhir/R4/terminologies.html#required), which
 * `@medplum/core`'s validator does not: every code, Coding and CodeableConcept bound `required` in the R4
 * definitions must come from the bound value set, in resources and in the datatypes inside them
 * (Identifier.use, HumanName.use, ContactPoint.system, Quantity.comparator…). Value sets that cannot be expanded
 * locally are not enforced, so valid data is never rejected for want of a terminology server.
 */
export class RequiredBindingChecker {
  /** @param expander - value set expansions. */
  constructor(private readonly expander: ValueSetExpander) {}

  /**
   * @param resource - a resource (its contained resources are checked too).
   * @returns one issue per value outside its required value set, with its FHIRPath location.
   */
  check(resource: Resource): OperationOutcomeIssue[] {
    const issues: OperationOutcomeIssue[] = [];
    this.walk(resource as unknown as Record<string, unknown>, resource.resourceType, resource.resourceType, issues);
    return issues;
  }

  private walk(node: Record<string, unknown>, typeName: string, path: string, issues: OperationOutcomeIssue[]): void {
    const schema = tryGetDataType(typeName);
    if (!schema) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'resourceType' || key === 'extension' || key === 'modifierExtension' || key.startsWith('_')) continue;
      if (key === 'contained' && Array.isArray(value)) {
        value.forEach((c, i) => {
          const r = c as Resource;
          if (r?.resourceType) this.walk(r as unknown as Record<string, unknown>, r.resourceType, `${path}.contained[${i}]`, issues);
        });
        continue;
      }
      const element = cachedElementFor(typeName, schema.elements, key);
      if (!element) continue;
      const { el, type } = element;
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        const at = Array.isArray(value) ? `${path}.${key}[${i}]` : `${path}.${key}`;
        if (el.binding?.strength === 'required' && el.binding.valueSet) this.checkValue(item, type, el.binding.valueSet, at, issues);
        if (item && typeof item === 'object' && type && type !== 'Resource' && type !== 'Extension' && !PRIMITIVE_CODE.has(type)) {
          this.walk(item as Record<string, unknown>, type, at, issues);
        }
      });
    }
  }

  private checkValue(item: unknown, type: string, valueSet: string, at: string, issues: OperationOutcomeIssue[]): void {
    const exp = this.expander.expand(valueSet);
    if (!exp) return;
    const vsName = valueSet.split('|')[0];
    if (typeof item === 'string' && (type === 'code' || type === 'string' || type === 'uri')) {
      if (!exp.codes.has(item)) issues.push(issue(`Value "${item}" is not in the required value set ${vsName}`, at));
      return;
    }
    const inSet = (c: Coding): boolean => !!c.code && (c.system ? !!exp.bySystem.get(c.system)?.has(c.code) : exp.codes.has(c.code));
    if (type === 'Coding') {
      const c = item as Coding;
      if (c?.code && !inSet(c)) issues.push(issue(`Coding ${c.system ?? ''}|${c.code} is not in the required value set ${vsName}`, at));
      return;
    }
    if (type === 'CodeableConcept') {
      const codings = (item as CodeableConcept)?.coding ?? [];
      if (codings.length && !codings.some(inSet)) {
        issues.push(issue(`None of the codings is in the required value set ${vsName}`, at));
      }
    }
  }
}
