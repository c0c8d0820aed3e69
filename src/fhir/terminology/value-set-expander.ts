import type { CodeSystem, CodeSystemConcept, ValueSet, ValueSetComposeInclude } from '@medplum/fhirtypes';

/** The codes of an expanded value set: code by system. */
export interface Expansion {
  /** system -> codes. */
  bySystem: Map<string, Set<string>>;
  /** Every code regardless of system (for `code` elements, whose system is implied). */
  codes: Set<string>;
}

const stripVersion = (url: string): string => url.split('|')[0] as string;

/**
 * Expands value sets from the definitions it is given (https://hl7.org/fhir/R4/valueset.html#expansion): included
 * code systems in full (nested concepts too), explicit concept lists, included value sets, and exclusions. Value
 * sets it cannot expand here (filters, external terminologies such as UCUM, BCP-47, SNOMED CT) give undefined, and
 * callers must then not reject data for them. Results are cached.
 */
export class ValueSetExpander {
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly codeSystems = new Map<string, CodeSystem>();
  private readonly cache = new Map<string, Expansion | undefined>();

  /** @param resources - ValueSets and CodeSystems (R4 core, v3, and the registry's own). */
  constructor(resources: (ValueSet | CodeSystem)[]) {
    for (const r of resources) {
      if (!r.url) continue;
      if (r.resourceType === 'ValueSet') this.valueSets.set(r.url, r);
      else this.codeSystems.set(r.url, r);
    }
  }

  /** @param url - CodeSystem URL. @returns the CodeSystem, if known. */
  codeSystem(url: string): CodeSystem | undefined {
    return this.codeSystems.get(url);
  }

  /**
   * @param url - canonical URL of a ValueSet (a `|version` suffix is ignored).
   * @returns its codes, or undefined when it cannot be expanded locally.
   */
  expand(url: string): Expansion | undefined {
    const key = stripVersion(url);
    if (this.cache.has(key)) return this.cache.get(key);
    this.cache.set(key, undefined); // guards against cycles
    const result = this.compute(key);
    this.cache.set(key, result);
    return result;
  }

  private compute(url: string): Expansion | undefined {
    const vs = this.valueSets.get(url);
    if (!vs) return undefined;
    const out: Expansion = { bySystem: new Map(), codes: new Set() };
    const add = (system: string, code: string): void => {
      let set = out.bySystem.get(system);
      if (!set) out.bySystem.set(system, (set = new Set()));
      set.add(code);
      out.codes.add(code);
    };
    if (vs.expansion?.contains?.length && !vs.compose) {
      const walk = (items: NonNullable<ValueSet['expansion']>['contains']): void => {
        for (const c of items ?? []) {
          if (c.system && c.code) add(c.system, c.code);
          walk(c.contains);
        }
      };
      walk(vs.expansion.contains);
      return out;
    }
    for (const inc of vs.compose?.include ?? []) {
      if (!this.include(inc, add)) return undefined;
    }
    for (const exc of vs.compose?.exclude ?? []) {
      for (const c of exc.concept ?? []) {
        if (exc.system) out.bySystem.get(exc.system)?.delete(c.code);
      }
    }
    out.codes = new Set([...out.bySystem.values()].flatMap((s) => [...s]));
    return out;
  }

  private include(inc: ValueSetComposeInclude, add: (system: string, code: string) => void): boolean {
    if (inc.filter?.length) return false;
    for (const nested of inc.valueSet ?? []) {
      const e = this.expand(nested);
      if (!e) return false;
      for (const [system, codes] of e.bySystem) for (const c of codes) add(system, c);
    }
    if (!inc.system) return true;
    if (inc.concept?.length) {
      for (const c of inc.concept) add(inc.system, c.code);
      return true;
    }
    const cs = this.codeSystems.get(inc.system);
    if (!cs || (cs.content !== 'complete' && cs.content !== undefined) || !cs.concept) return false;
    const walk = (concepts: CodeSystemConcept[]): void => {
      for (const c of concepts) {
        add(inc.system as string, c.code);
        if (c.concept) walk(c.concept);
      }
    };
    walk(cs.concept);
    return true;
  }
}
