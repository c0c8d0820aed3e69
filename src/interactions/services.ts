import type { CapabilityStatement, CompartmentDefinition, SearchParameter } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listR4Resources, loadR4Definitions, readR4Bundle } from '../fhir/definitions.ts';
import { ResourceTypeRegistry } from '../fhir/resource-types.ts';
import { SearchParameterRegistry } from '../fhir/search/search-parameters.ts';
import { createRegistryValidator } from '../fhir/registry-validator.ts';
import { ComputePool } from '../registry/compute-pool.ts';
import { PROJECT_ROOT, readResourceFolder } from '../fhir/project-files.ts';
import { OperationRegistry } from './operations/registry.ts';
import { validateOperation } from './operations/validate.ts';
import { immdsForecastOperation } from './operations/immds-forecast.ts';
import { ForecastService } from '../registry/forecast/forecast-service.ts';
import type { ResourceValidator, Services } from './types.ts';

export { PROJECT_ROOT, readResourceFolder } from '../fhir/project-files.ts';

function patientCompartment(types: string[]): Map<string, string[]> {
  const def = readR4Bundle('compartmentdefinition-patient.json') as unknown as CompartmentDefinition;
  const map = new Map<string, string[]>();
  for (const r of def.resource ?? []) {
    if (types.includes(r.code) && r.param?.length) map.set(r.code, r.param);
  }
  // A Patient belongs to its own compartment through its links to other patients.
  map.set('Patient', [...(map.get('Patient') ?? []), 'link']);
  return map;
}

/** Options of the services. */
export interface ServicesOptions {
  fhirBaseUrl: string;
  validator?: ResourceValidator;
  /** Worker threads that validate writes and compute stored forecasts under load (0: main thread only). */
  computeWorkers?: number;
}

/**
 * Builds the long-lived registries the interactions use: served types from `conformance/`, R4 and our search
 * parameters, operations and the validator.
 * @param options - the FHIR base URL and optional validator.
 * @returns the services.
 */
export function buildServices(options: ServicesOptions): Services {
  loadR4Definitions();
  const conformance = readResourceFolder('conformance');
  const capability = conformance.find((r): r is CapabilityStatement => r.resourceType === 'CapabilityStatement');
  if (!capability) throw new Error('conformance/ has no CapabilityStatement');
  const resourceTypes = new ResourceTypeRegistry(capability);
  const ours = conformance.filter((r): r is SearchParameter => r.resourceType === 'SearchParameter');
  const searchParameters = new SearchParameterRegistry(
    [...listR4Resources<SearchParameter>('search-parameters.json', 'SearchParameter'), ...ours],
    resourceTypes.types(),
    resourceTypes.searchParamRestrictions(),
  );
  const operations = new OperationRegistry();
  operations.register(validateOperation);
  operations.register(immdsForecastOperation);
  const pool = options.validator ? undefined : new ComputePool(createRegistryValidator(), { workers: options.computeWorkers ?? 0 });
  const validator = options.validator ?? (pool as ComputePool);
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    fhirBaseUrl: options.fhirBaseUrl,
    resourceTypes,
    searchParameters,
    validator,
    operations,
    patientCompartment: patientCompartment(resourceTypes.types()),
    version: pkg.version,
    forecast: new ForecastService(searchParameters, undefined, pool),
  };
}
