import type { CodeSystem, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { loadR4Definitions } from './definitions.ts';
import { compileProfile } from './profile-rules.ts';
import { readResourceFolder } from './project-files.ts';
import { R4Validator } from './r4-validator.ts';

/**
 * The registry's validator: FHIR R4 plus the ValueSets, CodeSystems and profiles of `profiles/`
 * (https://hl7.org/fhir/R4/validation.html). Built the same way in the server and in validation workers, so both
 * give the same report for the same resource.
 * @param profiles - the contents of `profiles/` (read from the project when omitted).
 * @returns the validator.
 */
export function createRegistryValidator(profiles: Resource[] = readResourceFolder('profiles')): R4Validator {
  loadR4Definitions();
  const terminology = profiles.filter((r): r is ValueSet | CodeSystem => r.resourceType === 'ValueSet' || r.resourceType === 'CodeSystem');
  const validator = new R4Validator(terminology);
  for (const sd of profiles.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition')) {
    validator.addProfile(compileProfile(sd, validator.expander));
  }
  return validator;
}
