/**
 * Entry point of a compute worker thread (see compute-pool.ts). Builds the registry's validator at once and loads
 * the CDSi supporting data on the first forecast, then answers `{ id, job }` with `{ id, result }` (or `{ id, error }`).
 * Posts `{ ready: true }` when it can take work.
 */
import { parentPort } from 'node:worker_threads';
import { loadSupportingData, type SupportingData } from '../forecast/index.ts';
import { createRegistryValidator } from '../fhir/registry-validator.ts';
import type { ComputeJob } from './compute-pool.ts';
import { DEFAULT_CDSI_DIR, forecastInFhir } from './forecast/forecast-service.ts';

const port = parentPort;
if (port) {
  const validator = createRegistryValidator();
  let data: SupportingData | undefined;
  const run = (job: ComputeJob): unknown => {
    if (job.kind === 'validate') return validator.validate(job.resource);
    data ??= loadSupportingData(DEFAULT_CDSI_DIR);
    return forecastInFhir(data, job.patient, job.immunizations, [], job.assessmentDate);
  };
  port.on('message', (m: { id: number; job: ComputeJob }) => {
    try {
      port.postMessage({ id: m.id, result: run(m.job) });
    } catch (err) {
      port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  port.postMessage({ ready: true });
}
