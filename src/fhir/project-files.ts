import type { Resource } from '@medplum/fhirtypes';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
