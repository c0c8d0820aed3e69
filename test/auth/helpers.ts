import { createServer } from 'node:net';
import type { Patient, RelatedPerson } from '@medplum/fhirtypes';
import { buildApp, type Registry } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openTestPglite } from '../helpers/pglite-template.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import type { ClientRecord, UserRecord } from '../../src/store/auth-store.ts';

/** @returns a TCP port free right now on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A registry listening on an ephemeral loopback port, with BASE_URL matching it (issuer checks need that). */
export interface LiveRegistry {
  registry: Registry;
  base: string;
  issuer: string;
  fhirBase: string;
  close(): Promise<void>;
}

/**
 * Starts the real app on a free port over an in-memory PGlite database (or DATABASE_URL).
 * @param env - extra environment variables (PORT picks the port; BASE_URL follows it).
 * @returns the running registry.
 */
export async function startLiveRegistry(env: Record<string, string> = {}): Promise<LiveRegistry> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', BASE_URL: base, PORT: String(port), SEED_DEMO_DATA: 'false', MLLP_ENABLED: 'false', ...env });
  const db = config.databaseUrl ? undefined : await openTestPglite();
  const registry = await buildApp(config, db ? { db } : {});
  await registry.app.listen({ port, host: '127.0.0.1' });
  return { registry, base, issuer: `${base}/auth`, fhirBase: `${base}/fhir`, close: () => registry.close() };
}

/** A unique suffix for test data. */
export const unique = (): string => Math.random().toString(36).slice(2, 10);

/**
 * Creates a user with a password.
 * @param live - the registry. @param user - the user without hash. @param password - its password.
 */
export async function addUser(live: LiveRegistry, user: Omit<UserRecord, 'passwordHash'>, password = 'correct horse battery'): Promise<void> {
  await live.registry.auth.store.upsertUser({ ...user, passwordHash: await hashPassword(password) });
}

/** @param live - the registry. @param client - the client to register. */
export async function addClient(live: LiveRegistry, client: ClientRecord): Promise<void> {
  await live.registry.auth.store.upsertClient(client);
}

/**
 * Creates a Patient born `years` ago.
 * @param live - the registry. @param years - age. @param family - family name.
 * @returns its id.
 */
export async function addPatient(live: LiveRegistry, years: number, family = 'Testfamily'): Promise<string> {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  const p = await live.registry.repo.createResource<Patient>({ resourceType: 'Patient', name: [{ family, given: [`Kid${years}`] }], birthDate: d.toISOString().slice(0, 10) });
  return p.id ?? '';
}

/**
 * Creates a RelatedPerson (guardian) of a patient.
 * @param live - the registry. @param patientId - the child. @returns its id.
 */
export async function addRelatedPerson(live: LiveRegistry, patientId: string): Promise<string> {
  const rp = await live.registry.repo.createResource<RelatedPerson>({ resourceType: 'RelatedPerson', active: true, patient: { reference: `Patient/${patientId}` } });
  return rp.id ?? '';
}

/** A minimal browser: keeps cookies per origin (ignoring paths) and follows redirects on request. */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  /**
   * Sends a request without following redirects.
   * @param url - absolute URL. @param form - form fields to POST.
   * @returns the response.
   */
  async send(url: string, form?: Record<string, string>): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    const headers: Record<string, string> = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method: form ? 'POST' : 'GET', headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair?.indexOf('=') ?? -1;
      if (pair && i > 0) {
        const v = pair.slice(i + 1);
        if (/expires=Thu, 01 Jan 1970/i.test(c) || v === '') jar.delete(pair.slice(0, i));
        else jar.set(pair.slice(0, i), v);
      }
    }
    return res;
  }

  /**
   * Follows redirects until a page answers or the location starts with `stopAt`.
   * @param url - start URL. @param stopAt - e.g. the app's redirect URI. @param form - form for the first request.
   * @returns the final URL and response (whose body is unread).
   */
  async follow(url: string, stopAt: string, form?: Record<string, string>): Promise<{ url: string; res: Response }> {
    let current = url;
    let res = await this.send(current, form);
    for (let i = 0; i < 20 && res.status >= 300 && res.status < 400; i++) {
      current = new URL(res.headers.get('location') ?? '', current).href;
      if (current.startsWith(stopAt)) return { url: current, res };
      res = await this.send(current);
    }
    return { url: current, res };
  }
}

/**
 * The form action of the first form in a page.
 * @param html - the page. @param base - the page URL. @returns the absolute action URL.
 */
export function formAction(html: string, base: string): string {
  const m = /<form method="post" action="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error(`no form in page: ${html.slice(0, 500)}`);
  return new URL(m[1].replace(/&#(\d+);/g, (_s, n: string) => String.fromCharCode(Number(n))), base).href;
}
