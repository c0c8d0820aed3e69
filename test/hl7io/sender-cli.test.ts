import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runSenderCommand } from '../../src/cli/sender-commands.ts';
import { unique } from '../helpers/builders.ts';
import { hl7Registry, registerTestSender } from './hl7-app.ts';

after(async () => (await hl7Registry()).close());

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function cli(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', './scripts/ts-loader.mjs', 'src/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('CLI: sender add', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iis-sender-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { DATA_DIR: dir };
  const facilityId = unique('CLIFAC');
  const username = unique('cliuser');

  it('registers a sender with the password read from stdin and creates its Organization', async () => {
    const res = await cli(['sender', 'add', '--facility-id', facilityId, '--name', 'Pediatrics of Springfield', '--username', username, '--password-stdin'], env, 'correct horse battery\n');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`registered sender ${facilityId} \\(username ${username}\\) for Organization/[\\w-]+ \\(created\\)`));
    const list = await cli(['sender', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^${facilityId}\\t${username}\\tOrganization/`, 'm'));
    assert.doesNotMatch(list.stdout + res.stdout, /correct horse/);
  });

  it('refuses a duplicate facility (exit code 2)', async () => {
    const dup = await cli(['sender', 'add', '--facility-id', facilityId, '--name', 'X', '--username', unique('u'), '--password-stdin'], env, 'long enough password');
    assert.equal(dup.code, 2);
    assert.match(dup.stderr, /already registered/);
  });
});

describe('sender command arguments', () => {
  it('refuses a missing --password-stdin, a short password and a username already taken', async () => {
    const { core } = await hl7Registry();
    const base = ['add', '--facility-id', unique('F'), '--name', 'X', '--username'];
    await assert.rejects(runSenderCommand(core, [...base, unique('u')], 'long enough password'), /--password-stdin/);
    await assert.rejects(runSenderCommand(core, [...base, unique('u'), '--password-stdin'], 'short'), /at least 8/);
    const taken = await registerTestSender();
    await assert.rejects(runSenderCommand(core, ['add', '--facility-id', unique('F'), '--name', 'X', '--username', taken.username, '--password-stdin'], 'long enough password'), /already registered/);
    await assert.rejects(runSenderCommand(core, ['remove'], ''), /usage/);
  });
});
