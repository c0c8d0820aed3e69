import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import type { Services } from './types.ts';

/**
 * Builds the CapabilityStatement (https://hl7.org/fhir/R4/capabilitystatement.html) from what is actually
 * registered: the resource list and interactions of the `conformance/` source, the search parameters the store
 * indexes, and the operations with a handler, so it never claims more than the server does.
 * @param services - the server's registries.
 * @returns the CapabilityStatement.
 */
export function buildCapabilityStatement(services: Services): CapabilityStatement {
  const source = services.resourceTypes.source;
  const ops = services.operations.list();
  const rest = source.rest?.[0];
  const resources: CapabilityStatementRestResource[] = services.resourceTypes.types().map((type) => {
    const entry = services.resourceTypes.entry(type) as CapabilityStatementRestResource;
    const searchParam = services.searchParameters
      .list(type)
      .filter((d) => d.type !== 'composite' && (d.type !== 'special' || d.code === '_id'))
      .map((d) => ({ name: d.code, definition: d.url, type: d.type }));
    const operation = ops
      .filter((o) => o.definition.type || o.definition.instance)
      .filter((o) => !o.definition.resource?.length || o.definition.resource.includes(type as never))
      .map((o) => ({ name: o.definition.code, definition: o.definition.url as string }));
    const revs = services.searchParameters.list(type).filter((d) => d.type === 'reference');
    return {
      ...entry,
      searchParam,
      searchInclude: ['*', ...revs.map((d) => `${type}:${d.code}`)],
      ...(operation.length ? { operation } : {}),
    };
  });
  const systemOps = ops.filter((o) => o.definition.system).map((o) => ({ name: o.definition.code, definition: o.definition.url as string }));
  return {
    ...source,
    date: new Date().toISOString(),
    software: { ...source.software, name: source.software?.name ?? 'Open IIS', version: services.version },
    implementation: { description: 'Open IIS FHIR R4 server', url: services.fhirBaseUrl },
    rest: [{ ...rest, mode: 'server', resource: resources, ...(systemOps.length ? { operation: systemOps } : {}) }],
  };
}
