import {
  evalFhirPathTyped,
  fhirTypeToJsType,
  getAllDataTypes,
  isPrimitiveType,
  LRUCache,
  toTypedValue,
  tryGetDataType,
  UCUM,
  validationRegexes,
  type FhirPathAtom,
  type InternalSchemaElement,
  type InternalTypeSchema,
  type TypedValue,
} from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';

/**
 * Invariants `@medplum/core`'s validator never evaluates (its own skip list, plus `ele-1`, which
 * {@link loadR4Definitions} removes and the structural checks cover); skipping them here keeps the two in step.
 */
const SKIPPED_INVARIANTS = new Set(['ele-1', 'dom-3', 'org-1', 'sdf-19']);
const INTEGER_TYPES = new Set(['integer', 'positiveInt', 'unsignedInt']);

/**
 * Invariants answered without FHIRPath, by their exact expression text (any other text is evaluated), for objects
 * the walk has already found structurally sound (every property known and non-empty, no primitive extensions):
 * - ext-1 (https://hl7.org/fhir/R4/extensibility.html#Extension), on every extension: extensions or a value, not both;
 * - dom-2, dom-4 and dom-5 (https://hl7.org/fhir/R4/domainresource.html#invs) only constrain contained resources,
 *   and the walk leaves any resource with contained resources to the full validator.
 */
const NATIVE_INVARIANTS = new Map<string, (value: Record<string, unknown>) => boolean>([
  ['extension.exists() != value.exists()', (v) => (v.extension !== undefined) !== Object.keys(v).some((k) => k.startsWith('value') && v[k] !== undefined)],
  ['contained.contained.empty()', (v) => v.contained === undefined],
  ['contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()', (v) => v.contained === undefined],
  ['contained.meta.security.empty()', (v) => v.contained === undefined],
]);

/** One JSON property name of a type, resolved to its element and the type its value has. */
interface Property {
  element: InternalSchemaElement;
  /** The element's name in the schema (`value[x]` for `valueString`). */
  name: string;
  type: string;
  invariants: { key: string; expression: string }[];
}

/** A type compiled for the check: its JSON property names and the element names that must be present. */
interface CompiledType {
  properties: Map<string, Property>;
  required: string[][];
  invariants: { key: string; expression: string }[];
}

const compiled = new Map<string, CompiledType | null>();
const expressions = new LRUCache<FhirPathAtom>(1_000);
const UCUM_VALUE = toTypedValue(UCUM);

function activeInvariants(constraints: InternalSchemaElement['constraints']): { key: string; expression: string }[] {
  return (constraints ?? []).filter((c) => c.severity === 'error' && !SKIPPED_INVARIANTS.has(c.key));
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Compiles a type's schema into JSON property names. Returns null for anything the pre-check leaves to the full
 * validator: sliced, fixed or patterned elements and elements of more than one type that are not choices.
 */
function compile(typeName: string): CompiledType | null {
  if (compiled.has(typeName)) return compiled.get(typeName) ?? null;
  const schema: InternalTypeSchema | undefined = Object.hasOwn(getAllDataTypes(), typeName) ? tryGetDataType(typeName) : undefined;
  // Unknown type names (a client's resourceType) are not remembered, so they cannot grow the cache.
  if (!schema?.elements) return null;
  let result: CompiledType | null = { properties: new Map(), required: [], invariants: activeInvariants(schema.constraints) };
  for (const [name, element] of Object.entries(schema.elements)) {
    if (element.slicing || element.fixed || element.pattern || name.includes('.')) {
      result = null;
      break;
    }
    const invariants = activeInvariants(element.constraints);
    const keys: string[] = [];
    if (name.endsWith('[x]')) {
      const base = name.slice(0, -3);
      for (const t of element.type) {
        keys.push(base + capitalize(t.code));
        result.properties.set(base + capitalize(t.code), { element, name, type: t.code, invariants });
      }
    } else if (element.type.length === 1 && element.type[0]) {
      keys.push(name);
      result.properties.set(name, { element, name, type: element.type[0].code, invariants });
    }
    if (element.min > 0) result.required.push(keys);
  }
  compiled.set(typeName, result);
  return result;
}

/** Walks one resource; every method answers false as soon as something needs the full validator's judgement. */
class Walk {
  private readonly root: TypedValue;
  private readonly variables: Record<string, TypedValue>;

  constructor(resource: Resource) {
    this.root = toTypedValue(resource);
    this.variables = { '%ucum': UCUM_VALUE, '%resource': this.root, '%rootResource': this.root };
  }

  resource(): boolean {
    const type = compile(this.root.type);
    return !!type && this.invariantsHold(type.invariants, this.root) && this.object(this.root.value as object, type);
  }

  private invariantsHold(invariants: Property['invariants'], value: TypedValue): boolean {
    for (const inv of invariants) {
      const native = NATIVE_INVARIANTS.get(inv.expression);
      if (native) {
        if (!native(value.value as Record<string, unknown>)) return false;
        continue;
      }
      try {
        const out = evalFhirPathTyped(inv.expression, [value], { ...this.variables, '%context': value }, expressions);
        if (out.length !== 1 || out[0]?.value !== true) return false;
      } catch {
        return false;
      }
    }
    return true;
  }

  private object(obj: object, type: CompiledType): boolean {
    const record = obj as Record<string, unknown>;
    const seen = new Set<string>();
    let keys = 0;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (value === undefined) continue;
      keys += 1;
      if (key === 'resourceType') continue;
      const property = type.properties.get(key);
      if (!property || value === null || seen.has(property.name)) return false;
      seen.add(property.name);
      if (!this.property(property, value)) return false;
    }
    if (keys === 0) return false;
    return type.required.every((alternatives) => alternatives.some((k) => record[k] !== undefined));
  }

  private property(p: Property, value: unknown): boolean {
    const items = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) !== !!p.element.isArray) return false;
    if (items.length === 0 || items.length < p.element.min || items.length > p.element.max) return false;
    for (const item of items) {
      if (item === null || item === undefined) return false;
      if (isPrimitiveType(p.type) ? !primitiveOk(p.type, item) : !this.complex(p.type, item)) return false;
      if (p.invariants.length && !this.invariantsHold(p.invariants, { type: p.type, value: item })) return false;
    }
    return true;
  }

  private complex(typeName: string, value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    if (typeName === 'Resource' || 'resourceType' in value) return false;
    const type = compile(typeName);
    return !!type && this.object(value, type);
  }
}

function primitiveOk(type: string, value: unknown): boolean {
  const jsType = (fhirTypeToJsType as Record<string, string>)[type];
  if (!jsType || typeof value !== jsType) return false;
  if (typeof value === 'string') {
    const regex = validationRegexes[type];
    return value.trim() !== '' && (!regex || regex.test(value));
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return false;
    if (INTEGER_TYPES.has(type) && !Number.isInteger(value)) return false;
    if (type === 'positiveInt' && value <= 0) return false;
    if (type === 'unsignedInt' && value < 0) return false;
  }
  return true;
}

/**
 * A fast structural pre-check of a resource against the R4 definitions `@medplum/core` has indexed
 * (https://hl7.org/fhir/R4/validation.html: structure, cardinality, datatypes and invariants). It answers true only
 * when the full validator (`validateResource`) would find no error: every property known to its type, arrays and
 * single values where the definition says, cardinality, required elements, primitive formats with the same
 * regular expressions, non-empty complex values, and the same error-severity invariants evaluated by the same
 * FHIRPath engine. Anything it does not model (primitive extensions `_x`, contained resources, slicing, fixed
 * values, two values for one choice element) answers false, and the caller runs the full validator, which also
 * writes the error messages. The full validator walks every element of every type's schema, present or not; this
 * walks only the properties present, which is what makes valid writes cheap.
 * @param resource - a resource with its `resourceType`.
 * @returns true when the resource certainly passes the full structural validation.
 */
export function passesStructurePrecheck(resource: Resource): boolean {
  if (!resource || typeof resource.resourceType !== 'string') return false;
  return new Walk(resource).resource();
}
