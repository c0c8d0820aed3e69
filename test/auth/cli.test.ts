import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { PgliteDb } from '../../src/store/pglite-db.ts';
import { AuthStore } from '../../src/store/auth-store.ts';
import { verifyPassword } from '../../src/auth/passwords.ts';
import { freePort } from './helpers.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'iis-cli-'));
const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'false' };
delete (env as Record<string, string | undefined>).DATABASE_URL;

function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', './scripts/ts-loader.mjs', 'src/cli/main.ts', ...args], { cwd: ROOT, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(stdin);
  });
}

async function storeCheck<T>(fn: (store: AuthStore) => Promise<T>): Promise<T> {
  const db = await PgliteDb.open(dataDir);
  try {
    return await fn(new AuthStore(db));
  } finally {
    await db.close();
  }
}

let server: ChildProcess | undefined;
after(() => {
  server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('CLI user and client commands (PGlite)', () => {
  const jwksFile = join(dataDir, 'svc.jwks.json');
  before(async () => {
    const { publicKey } = await generateKeyPair('RS384');
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS384' }] }));
  });

  it('work with no server running (the CLI opens the database)', async () => {
    const add = await cli(['user', 'add', '--username', 'nurse1', '--role', 'school-nurse', '--organization', 'org-9', '--fhir-user', 'Practitioner/p9', '--password-stdin'], 'first-password-1\n');
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /nurse1 saved/);
    const client = await cli(['client', 'add', '--id', 'svc1', '--type', 'backend', '--role', 'ehr-system', '--organization', 'org-9', '--jwks', jwksFile]);
    assert.equal(client.code, 0, client.err);
    const app = await cli(['client', 'add', '--id', 'app1', '--type', 'confidential', '--role', 'clinic-staff', '--redirect-uri', 'https://app.example/cb']);
    assert.match(app.out, /client secret \(shown once\): \S{20,}/);
    const bad = await cli(['user', 'add', '--username', 'x', '--role', 'wizard', '--password-stdin'], 'whatever-password');
    assert.equal(bad.code, 2);
    await storeCheck(async (store) => {
      const u = await store.findUser('nurse1');
      assert.deepEqual([u?.role, u?.organization, u?.fhirUser], ['school-nurse', 'org-9', ['Practitioner/p9']]);
      assert.ok(await verifyPassword('first-password-1', u?.passwordHash ?? ''));
      const c = await store.findClient('svc1');
      assert.equal(c?.jwks?.keys[0]?.kid, 'k1');
      assert.equal(c?.jwks?.keys[0]?.d, undefined);
    });
  });

  it('are forwarded to a running server on the same embedded database', async () => {
    const port = await freePort();
    server = spawn(process.execPath, ['--import', './scripts/ts-loader.mjs', 'src/main.ts'], { cwd: ROOT, env: { ...env, PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, MLLP_ENABLED: 'false' }, stdio: 'ignore' });
    const file = join(dataDir, 'admin.json');
    for (let i = 0; i < 240 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 250));
    assert.ok(existsSync(file), 'the server publishes admin.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const endpoint = JSON.parse(readFileSync(file, 'utf8')) as { port: number };
    const wrong = await fetch(`http://127.0.0.1:${endpoint.port}/admin/cli`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-secret': 'nope' }, body: '{"argv":["user","unlock","--username","x"]}' });
    assert.equal(wrong.status, 404);
    const reset = await cli(['user', 'reset-password', '--username', 'nurse1', '--password-stdin'], 'second-password-2\n');
    assert.equal(reset.code, 0, reset.err);
    assert.match(reset.err, /run by the server/);
    const unlock = await cli(['user', 'unlock', '--username', 'nurse1']);
    assert.match(unlock.err, /run by the server/);
    const client = await cli(['client', 'add', '--id', 'svc2', '--type', 'backend', '--role', 'ehr-system', '--jwks', jwksFile]);
    assert.equal(client.code, 0, client.err);
    const users = await cli(['user', 'list']);
    assert.match(users.out, /nurse1 {2}school-nurse {2}organization org-9/);
    assert.doesNotMatch(users.out, /scrypt/);
    assert.match((await cli(['client', 'list'])).out, /svc2 {2}backend {2}ehr-system/);
    assert.equal((await cli(['client', 'remove', '--id', 'app1'])).code, 0);
    const stopped = new Promise((r) => server?.once('exit', r));
    server.kill('SIGTERM');
    await stopped;
    server = undefined;
    assert.ok(!existsSync(file), 'admin.json is removed on shutdown');
    await storeCheck(async (store) => {
      assert.ok(await verifyPassword('second-password-2', (await store.findUser('nurse1'))?.passwordHash ?? ''));
      assert.ok(await store.findClient('svc2'));
    });
  });
});
