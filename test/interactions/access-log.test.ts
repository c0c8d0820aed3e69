import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openTestPglite } from '../helpers/pglite-template.ts';
import { buildPatient } from '../helpers/builders.ts';
import { adminToken, verifyTestToken } from '../helpers/tokens.ts';

interface Line {
  msg: string;
  reqId?: string;
  req?: { id: string; method: string; path: string };
  res?: { statusCode: number };
  responseTime?: number;
}

test('each request leaves one access-log line with method, path, status and time, and no query string', async () => {
  const lines: string[] = [];
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'info', BASE_URL: 'http://localhost:8080', SEED_DEMO_DATA: 'false' });
  const db = config.databaseUrl ? undefined : await openTestPglite();
  const registry = await buildApp(config, { ...(db ? { db } : {}), verifyToken: verifyTestToken, logStream: { write: (l) => void lines.push(l) } });
  try {
    const auth = { authorization: `Bearer ${await adminToken()}` };
    const created = await registry.app.inject({ method: 'POST', url: '/fhir/Patient', headers: { ...auth, 'content-type': 'application/fhir+json' }, payload: JSON.stringify(buildPatient({ name: [{ family: 'Quillfeather', given: ['Ottoline'] }] })) });
    assert.equal(created.statusCode, 201);
    const found = await registry.app.inject({ method: 'GET', url: '/fhir/Patient?family=Quillfeather&birthdate=2019-05-04', headers: auth });
    const denied = await registry.app.inject({ method: 'GET', url: '/fhir/Patient?family=Quillfeather' });
    assert.equal(denied.statusCode, 401);
    const parsed = lines.map((l) => JSON.parse(l) as Line);
    const logged = parsed.filter((l) => l.msg === 'request completed');
    for (const [res, status] of [[found, 200], [denied, 401]] as const) {
      const id = res.headers['x-request-id'] ?? (logged.find((l) => l.res?.statusCode === status && l.req?.method === 'GET')?.reqId as string);
      // Every line of the request, whatever its message: Fastify's default would add an "incoming request" line.
      const mine = parsed.filter((l) => l.reqId === id);
      assert.equal(mine.length, 1, `one line for request ${id}`);
      assert.deepEqual(mine[0]?.req, { id, method: 'GET', path: '/fhir/Patient' });
      assert.equal(mine[0]?.res?.statusCode, status);
      assert.equal(typeof mine[0]?.responseTime, 'number');
    }
    assert.equal(lines.filter((l) => l.includes('incoming request')).length, 0, 'Fastify no longer logs each request twice');
    assert.doesNotMatch(lines.join('\n'), /Quillfeather|Ottoline|2019-05-04/, 'no names, birth dates or query strings in the log');
  } finally {
    await registry.close();
  }
});
