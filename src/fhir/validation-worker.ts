/**
 * Entry point of a validation worker thread (see validation-pool.ts): builds the registry's validator once, then
 * answers `{ id, resource }` with `{ id, report }` (or `{ id, error }`). It posts `{ ready: true }` when it can take work.
 */
import type { Resource } from '@medplum/fhirtypes';
import { parentPort } from 'node:worker_threads';
import { createRegistryValidator } from './registry-validator.ts';

const port = parentPort;
if (port) {
  const validator = createRegistryValidator();
  port.on('message', (m: { id: number; resource: Resource }) => {
    try {
      port.postMessage({ id: m.id, report: validator.validate(m.resource) });
    } catch (err) {
      port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  port.postMessage({ ready: true });
}
