import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type Registry } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openTestPglite } from './pglite-template.ts';
import { adminToken, verifyTestToken } from './tokens.ts';

let shared: Promise<Registry> | undefined;

/**
 * The registry under test: PostgreSQL when DATABASE_URL is set (CI's second run), otherwise an in-memory PGlite
 * database. One per test process; tests keep their data apart with unique identifiers rather than truncation.
 * @returns the registry.
 */
export function testRegistry(): Promise<Registry> {
  shared ??= (async () => {
    const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', BASE_URL: 'http://localhost:8080', SEED_DEMO_DATA: 'false' });
    const db = config.databaseUrl ? undefined : await openTestPglite();
    // Tokens from the test signer (policy tests) and tokens the registry's own authorization server issued both work.
    const built: { registry?: Registry } = {};
    const verifyToken = async (token: string) => {
      try {
        return await verifyTestToken(token);
      } catch {
        if (!built.registry) throw new Error('registry not ready');
        return built.registry.auth.verifyAccessToken(token);
      }
    };
    built.registry = await buildApp(config, { ...(db ? { db } : {}), verifyToken });
    return built.registry;
  })();
  return shared;
}

/** The FHIR base of the test registry. */
export const BASE = 'http://localhost:8080/fhir';

/** A parsed response. */
export interface Res {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Record<string, unknown> & { resourceType?: string; id?: string };
  raw: LightMyRequestResponse;
}

/**
 * Sends a request to the test registry.
 * @param method - HTTP method.
 * @param url - path under the server root, e.g. `/fhir/Patient`.
 * @param body - JSON body, if any.
 * @param headers - extra headers; without `authorization` a state-admin token is sent, and `authorization: ''`
 *   sends none.
 * @returns status, headers and parsed body.
 */
export async function request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const { app } = await testRegistry();
  const auth: Record<string, string> = 'authorization' in headers ? {} : { authorization: `Bearer ${await adminToken()}` };
  const sent = { ...auth, ...headers };
  if (sent.authorization === '') delete sent.authorization;
  const raw = await app.inject({
    method: method as 'GET',
    url,
    headers: { ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/fhir+json' } : {}), ...sent },
    ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  let parsed: Res['body'] = {};
  if (raw.body) {
    try {
      parsed = JSON.parse(raw.body) as Res['body'];
    } catch {
      parsed = { raw: raw.body };
    }
  }
  return { status: raw.statusCode, headers: raw.headers, body: parsed, raw };
}
