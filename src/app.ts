import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import { registerBodyParsers } from './http/content-negotiation.ts';
import { AccessLog } from './http/access-log.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { fhirRoutes } from './http/fhir-routes.ts';
import { DEVELOPER_CLAIMS, type TokenVerifier } from './http/authenticate.ts';
import { registerHl7, type Hl7Deps, type Hl7Runtime } from './http/hl7-routes.ts';
import { hl7Admin, hl7Sender } from './http/hl7-auth.ts';
import { createRegistryHl7Processor } from './registry/hl7/registry-processor.ts';
import { createCore, type Core } from './core.ts';
import { createAuthServer, type AuthServer } from './auth/auth-server.ts';
import { registerAuthRoutes } from './auth/http/routes.ts';
import { adminRoutes } from './http/admin-routes.ts';
import { newAdminSecret } from './cli/admin-endpoint.ts';
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
  /** The SMART authorization server (token issuing, users, clients); `auth.verifyAccessToken` checks bearer tokens. */
  auth: AuthServer;
  /** Secret of `POST /admin/cli` (embedded database only; main.ts publishes it in DATA_DIR/admin.json). */
  adminSecret?: string;
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
  /** Verifies access tokens (tests pass their own issuer's verifier). */
  verifyToken?: TokenVerifier;
  /**
   * HL7 v2 wiring overrides (tests). By default: the registry's processor (VXU intake, QBP answers),
   * `POST /hl7/v2` for backend `ehr-system` tokens, and the message tools for `state-admin` tokens.
   */
  hl7?: Partial<Pick<Hl7Deps, 'processor' | 'authenticate' | 'requireAdmin'>>;
  /** Where log lines go (tests read them); standard output by default. */
  logStream?: { write(line: string): void };
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
    logController: new AccessLog(),
    logger: {
      level: config.logLevel,
      // Log the path only: query strings can carry names, birth dates and identifiers (DESIGN.md convention 10).
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
  });
  registerBodyParsers(app);
  registerErrorHandler(app);
  const auth = await createAuthServer({ config, db, repo });
  await registerAuthRoutes(app, auth);
  // PGlite admits one process: CLI admin commands reach the database through the running server.
  const adminSecret = db.driver === 'pglite' ? newAdminSecret() : undefined;
  if (adminSecret) await app.register(adminRoutes, { core, secret: adminSecret, afterCommand: () => auth.forgetVerifiedTokens() });
  // Authorization is on unless AUTH_DISABLED (loopback only): every FHIR request needs a token this server issued.
  const verifyToken: TokenVerifier | undefined = config.authDisabled ? undefined : (options.verifyToken ?? ((token) => auth.verifyAccessToken(token)));
  await app.register(fhirRoutes, { services, repo, verifyToken });
  const hl7 = await registerHl7(app, {
    core,
    config,
    processor: options.hl7?.processor ?? (await createRegistryHl7Processor(services, repo, { mllpQueries: config.mllpQueries })),
    authenticate: options.hl7?.authenticate ?? hl7Sender(verifyToken ?? (async () => DEVELOPER_CLAIMS)),
    requireAdmin: options.hl7?.requireAdmin ?? hl7Admin(verifyToken ?? (async () => DEVELOPER_CLAIMS)),
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  core.forecastWorker?.start();
  return {
    app,
    db,
    repo,
    services,
    core,
    auth,
    ...(adminSecret ? { adminSecret } : {}),
    hl7,
    async close() {
      await app.close();
      await auth.close();
      await core.close();
    },
  };
}
