import type { Config } from './config.ts';
import { buildServices } from './interactions/services.ts';
import { AuditSink } from './registry/audit-sink.ts';
import { ForecastWorker } from './registry/forecast/forecast-worker.ts';
import type { FhirContext, ResourceValidator, Services } from './interactions/types.ts';
import type { Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { openDatabase } from './store/open-database.ts';
import { Repository } from './store/repository.ts';

/** The registry without any transport: database, services and repository. */
export interface Core {
  config: Config;
  db: Db;
  services: Services;
  repo: Repository;
  /** A context for interactions run by the system itself (seed, import, CLI). */
  systemContext(requestId: string): FhirContext;
  /** Recomputes queued forecasts in the background (started by the server, not by the CLI). */
  forecastWorker?: ForecastWorker;
  /** Writes pending audit events and closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database, applies migrations and assembles the services. Shared by the HTTP server and the CLI.
 * @param config - the configuration.
 * @param options - an already open database, a validator.
 * @returns the core.
 */
export async function createCore(config: Config, options: { db?: Db; validator?: ResourceValidator } = {}): Promise<Core> {
  const db = options.db ?? (await openDatabase(config));
  await migrate(db);
  const services = buildServices({ fhirBaseUrl: `${config.baseUrl}/fhir`, ...(options.validator ? { validator: options.validator } : {}) });
  const repo = new Repository(db, { searchParameters: services.searchParameters, baseUrl: services.fhirBaseUrl });
  services.audit = new AuditSink(db, { onError: (err) => console.error('audit write failed; will retry', err instanceof Error ? err.message : err) });
  const system = { name: 'system' };
  const forecastWorker = services.forecast
    ? new ForecastWorker(repo, services.forecast, { onError: (err) => console.error('forecast refresh failed; will retry', err instanceof Error ? err.message : err) })
    : undefined;
  return {
    config,
    db,
    services,
    repo,
    ...(forecastWorker ? { forecastWorker } : {}),
    systemContext: (requestId) => ({ services, repo, requestId, actor: { ...system, name: `system:${requestId}` } }),
    async close() {
      await forecastWorker?.stop();
      // Units of work still running (a request whose client went away, an HL7 message being stored) finish first,
      // then their audit records are written, then the connections close.
      await db.settled(10_000);
      await new Promise((resolve) => setImmediate(resolve));
      await services.audit?.close();
      await db.close();
    },
  };
}
