import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The read-only shared data folder (CDC CDSi cases, NIST HL7 messages, code tables): `SHARED_DATA_DIR`, else
 * `../shared/data` beside the project, else `/work/shared/data` (where it lives on these machines), so tests also
 * run from a clone elsewhere.
 * @returns the folder, with a trailing separator.
 */
export function sharedDataDir(): string {
  const candidates = [process.env['SHARED_DATA_DIR'], join(PROJECT, '..', 'shared', 'data'), '/work/shared/data'].filter((d): d is string => !!d);
  const found = candidates.find((d) => existsSync(d)) ?? (candidates[0] as string);
  return found.endsWith('/') ? found : `${found}/`;
}
