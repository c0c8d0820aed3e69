import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import { registerBodyParsers } from './http/content-negotiation.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { fhirRoutes } from './http/fhir-routes.ts';
import { registerHl7, type Hl7Deps, type Hl7Runtime } from './http/hl7-routes.ts';
import { basicProcessor } from './hl7v2/transport/basic-processor.ts';
import { createCore, type Core } from './core.ts';
import type { ResourceValidator, Services } from './interactions/types.ts';
import type { Db } from './store/db.ts';
import type { Repository } from './store/repository.ts';

/** What buildApp returns: the Fastify app and the parts tests and the CLI reach for. */
export interface Registry {
  app: FastifyInstance;
  db: Db;
  repo: Repository;
  services: Services;
  core: Core;
  /** HL7 v2 message log, senders and pipeline. */
  hl7: Hl7Runtime;
  /** Closes the app and the database. */
  close(): Promise<void>;
}

/** Options of buildApp. */
export interface BuildOptions {
  /** Use this database instead of opening one from the configuration. */
  db?: Db;
  validator?: ResourceValidator;
  /**
   * HL7 v2 wiring. Until the real ones are plugged in: the processor is `basicProcessor` (ACK only, stores nothing),
   * `POST /hl7/v2` refuses every caller (401) and the message tools refuse every caller (403).
   */
  hl7?: Partial<Pick<Hl7Deps, 'processor' | 'authenticate' | 'requireAdmin'>>;
}

/**
 * Builds the registry: opens the database, applies migrations, assembles services and registers every plugin and
 * route. Never listens (tests drive it with `inject`).
 * @param config - the configuration.
 * @param options - overrides for tests.
 * @returns the assembled registry.
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Registry> {
  const core = await createCore(config, options);
  const { db, services, repo } = core;
  const app = Fastify({
    bodyLimit: config.bodyLimit,
    genReqId: () => randomUUID(),
    logger: {
      level: config.logLevel,
      // Log the path only: query strings can carry names, birth dates and identifiers (DESIGN.md convention 10).
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      },
    },
  });
  registerBodyParsers(app);
  registerErrorHandler(app);
  await app.register(fhirRoutes, { services, repo });
  const hl7 = await registerHl7(app, {
    core,
    config,
    processor: options.hl7?.processor ?? basicProcessor,
    authenticate: options.hl7?.authenticate ?? (async () => null),
    requireAdmin: options.hl7?.requireAdmin ?? (async () => false),
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  core.forecastWorker?.start();
  return {
    app,
    db,
    repo,
    services,
    core,
    hl7,
    async close() {
      await app.close();
      await core.close();
    },
  };
}
