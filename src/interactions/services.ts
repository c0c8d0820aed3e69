import type { CapabilityStatement, CodeSystem, CompartmentDefinition, Resource, SearchParameter, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listR4Resources, loadR4Definitions, readR4Bundle } from '../fhir/definitions.ts';
import { ResourceTypeRegistry } from '../fhir/resource-types.ts';
import { SearchParameterRegistry } from '../fhir/search/search-parameters.ts';
import { compileProfile } from '../fhir/profile-rules.ts';
import { R4Validator } from '../fhir/r4-validator.ts';
import { OperationRegistry } from './operations/registry.ts';
import { validateOperation } from './operations/validate.ts';
import { immdsForecastOperation } from './operations/immds-forecast.ts';
import { ForecastService } from '../registry/forecast/forecast-service.ts';
import type { ResourceValidator, Services } from './types.ts';

/** The project root (where package.json, conformance/ and profiles/ are). */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Reads every FHIR resource (`*.json`) in a folder of the project.
 * @param folder - folder relative to the project root.
 * @returns the resources.
 */
export function readResourceFolder(folder: string): Resource[] {
  const dir = join(PROJECT_ROOT, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Resource);
}

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
  const profiles = readResourceFolder('profiles');
  const terminology = profiles.filter((r): r is ValueSet | CodeSystem => r.resourceType === 'ValueSet' || r.resourceType === 'CodeSystem');
  const validator = options.validator ?? new R4Validator(terminology);
  if (validator instanceof R4Validator) {
    for (const sd of profiles.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition')) {
      validator.addProfile(compileProfile(sd, validator.expander));
    }
  }
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    fhirBaseUrl: options.fhirBaseUrl,
    resourceTypes,
    searchParameters,
    validator,
    operations,
    patientCompartment: patientCompartment(resourceTypes.types()),
    version: pkg.version,
    forecast: new ForecastService(searchParameters),
  };
}
