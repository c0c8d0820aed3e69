import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';

/**
 * The resource types this server serves and what it allows on each, read from the CapabilityStatement source in
 * `conformance/` (so adding a type is configuration, not code; https://hl7.org/fhir/R4/capabilitystatement.html).
 */
export class ResourceTypeRegistry {
  private readonly byType = new Map<string, CapabilityStatementRestResource>();

  /** @param source - the CapabilityStatement source document. */
  constructor(readonly source: CapabilityStatement) {
    for (const r of source.rest?.[0]?.resource ?? []) {
      this.byType.set(r.type, r);
    }
  }

  /** @returns every served type, in declaration order. */
  types(): string[] {
    return [...this.byType.keys()];
  }

  /** @param type - a resource type name. @returns true when the server serves it. */
  has(type: string): boolean {
    return this.byType.has(type);
  }

  /**
   * @param type - a resource type.
   * @param interaction - an interaction code (`read`, `create`, `search-type`…).
   * @returns true when the type allows the interaction.
   */
  allows(type: string, interaction: string): boolean {
    return this.byType.get(type)?.interaction?.some((i) => i.code === interaction) ?? false;
  }

  /**
   * @returns per type, the search parameter names the source lists; types without a list offer every parameter.
   */
  searchParamRestrictions(): Map<string, Set<string>> {
    const map = new Map<string, Set<string>>();
    for (const [type, r] of this.byType) {
      if (r.searchParam?.length) map.set(type, new Set(r.searchParam.map((p) => p.name)));
    }
    return map;
  }

  /** @param type - a resource type. @returns its CapabilityStatement entry. */
  entry(type: string): CapabilityStatementRestResource | undefined {
    return this.byType.get(type);
  }
}
