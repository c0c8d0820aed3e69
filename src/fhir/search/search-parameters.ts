import { parseFhirPath } from '@medplum/core';
import type { SearchParameter } from '@medplum/fhirtypes';
import { plainPathOf, type PlainPath } from './plain-path.ts';

/** The R4 search-parameter types (https://hl7.org/fhir/R4/search.html#ptypes). */
export type SearchParamType = 'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special';

/** A search parameter as the store uses it: one resource type, one compiled expression. */
export interface SearchParamDef {
  /** The parameter name used in URLs (`vaccine-code`). */
  code: string;
  type: SearchParamType;
  /** The resource type this definition applies to. */
  resourceType: string;
  /** FHIRPath restricted to this resource type's branch of the definition's expression. */
  expression: string;
  /** Compiled form of `expression`. */
  atom: ReturnType<typeof parseFhirPath>;
  /** Target types of a reference parameter. */
  targets: string[];
  /** Canonical URL of the SearchParameter. */
  url: string;
  /** True for the phonetic name parameters, indexed by sound rather than spelling. */
  phonetic: boolean;
  /**
   * Top-level elements the expression reads (`name` for `Patient.name.family`), or undefined when that cannot be
   * told from the text. The indexer skips the expression when the resource has none of them.
   */
  roots?: string[];
  /** The expression as a direct element walk, when it is one (see plainPathOf). */
  plainPath?: PlainPath;
}

/**
 * The top-level elements a restricted expression starts from, when every branch is a plain `Type.element…` path.
 * @param expression - the restricted expression.
 * @param resourceType - its type.
 * @returns the element names, or undefined when some branch is not a plain path.
 */
export function expressionRoots(expression: string, resourceType: string): string[] | undefined {
  // An expression that yields a value for an absent element (`exists()`, `empty()`, `not()`) must always run.
  if (/\b(exists|empty|not|count)\(\)/.test(expression)) return undefined;
  const roots = new Set<string>();
  for (const branch of splitUnion(expression)) {
    const m = new RegExp(`^\\(?\\s*${resourceType}\\.([a-zA-Z]+)`).exec(branch);
    if (!m) return undefined;
    roots.add(m[1] as string);
    // `Patient.deceased.exists() and Patient.deceased != false` names only `deceased`; anything else is not plain.
    for (const other of branch.matchAll(new RegExp(`${resourceType}\\.([a-zA-Z]+)`, 'g'))) roots.add(other[1] as string);
  }
  // A choice element is stored under its typed name (`occurrenceDateTime`), which starts with the root.
  return [...roots];
}

/** Parameters every resource has and the store answers from its own columns (https://hl7.org/fhir/R4/search.html#all). */
export const COLUMN_PARAMS = new Set(['_id', '_lastUpdated']);

/**
 * Keeps only the branches of a `|`-separated SearchParameter expression that apply to one resource type, so the
 * indexer does not evaluate `Practitioner.name` against a Patient.
 * @param expression - the SearchParameter expression.
 * @param resourceType - the type being indexed.
 * @returns the restricted expression, or undefined when no branch applies.
 */
export function restrictExpression(expression: string, resourceType: string): string | undefined {
  const branches = splitUnion(expression).filter((b) => {
    const head = /^\(?\s*([A-Z][A-Za-z]+)\b/.exec(b)?.[1];
    return !head || head === resourceType || head === 'Resource' || head === 'DomainResource';
  });
  // FHIRPath type tests do not treat Patient as a `Resource`, so name the concrete type.
  const concrete = branches.map((b) => b.replace(/^(\(?\s*)(?:Resource|DomainResource)\./, `$1${resourceType}.`));
  return concrete.length ? concrete.join(' | ') : undefined;
}

function splitUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'" && expression[i - 1] !== '\\') quote = !quote;
    if (quote) continue;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter(Boolean);
}

/**
 * The search parameters of every served resource type: the R4 base definitions plus the registry's own from
 * `conformance/`. Later definitions with the same code replace earlier ones for a type.
 */
export class SearchParameterRegistry {
  private readonly byType = new Map<string, Map<string, SearchParamDef>>();

  /**
   * @param definitions - SearchParameter resources (base first, then ours).
   * @param resourceTypes - the types the server serves; parameters of other types are ignored.
   * @param restrict - per type, the only parameter names to offer (from the CapabilityStatement source), when listed.
   */
  constructor(definitions: SearchParameter[], resourceTypes: string[], restrict: Map<string, Set<string>> = new Map()) {
    const served = new Set(resourceTypes);
    for (const sp of definitions) {
      if (!sp.code || !sp.type || !sp.expression) continue;
      for (const base of (sp.base ?? []) as string[]) {
        const types = base === 'Resource' || base === 'DomainResource' ? resourceTypes : [base];
        for (const t of types) {
          if (!served.has(t)) continue;
          if (restrict.get(t) && !restrict.get(t)?.has(sp.code)) continue;
          const expression = restrictExpression(sp.expression, t);
          if (!expression) continue;
          let atom: SearchParamDef['atom'];
          try {
            atom = parseFhirPath(expression);
          } catch {
            continue; // an expression our FHIRPath engine cannot compile is not offered
          }
          const map = this.byType.get(t) ?? new Map<string, SearchParamDef>();
          const plainPath = plainPathOf(expression, t);
          map.set(sp.code, {
            ...(plainPath ? { plainPath } : {}),
            code: sp.code,
            type: sp.type as SearchParamType,
            resourceType: t,
            expression,
            atom,
            targets: sp.target ?? [],
            url: sp.url ?? '',
            phonetic: sp.code === 'phonetic',
            roots: expressionRoots(expression, t),
          });
          this.byType.set(t, map);
        }
      }
    }
  }

  /** @returns the types that have search parameters (the served types). */
  types(): string[] {
    return [...this.byType.keys()];
  }

  /** @param type - resource type. @param code - parameter name. @returns the definition, if any. */
  get(type: string, code: string): SearchParamDef | undefined {
    return this.byType.get(type)?.get(code);
  }

  /** @param type - resource type. @returns every definition that applies to the type. */
  list(type: string): SearchParamDef[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  /** @param type - resource type. @returns the definitions the indexer evaluates on write. */
  indexed(type: string): SearchParamDef[] {
    return this.list(type).filter((d) => d.type !== 'composite' && d.type !== 'special' && !COLUMN_PARAMS.has(d.code));
  }
}
