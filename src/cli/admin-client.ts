import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import { createCore } from '../core.ts';
import { readAdminEndpoint } from './admin-endpoint.ts';
import { runAdminCommand, type AdminCommand, type AdminResult } from './admin-registry.ts';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('reading from standard input (end with Ctrl-D)\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Makes file-path options absolute, since a server receiving the command has its own working directory. */
function absolutize(command: AdminCommand, argv: string[]): string[] {
  const files = new Set((command.fileOptions ?? []).map((o) => `--${o}`));
  return argv.map((a, i) => {
    if (i > 0 && files.has(argv[i - 1] ?? '')) return resolve(a);
    const eq = a.indexOf('=');
    return eq > 0 && files.has(a.slice(0, eq)) ? `${a.slice(0, eq)}=${resolve(a.slice(eq + 1))}` : a;
  });
}

async function forward(port: number, secret: string, argv: string[], stdin: string): Promise<AdminResult | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/admin/cli`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-secret': secret }, body: JSON.stringify({ argv, stdin }),
      signal: AbortSignal.timeout(60_000),
    });
    if (res.status === 404) return undefined; // another process on that port, or a stale secret
    if (!res.ok) return { exitCode: 1, output: `the server refused the command (${res.status})` };
    return (await res.json()) as AdminResult;
  } catch {
    return undefined; // not running: the file is stale
  }
}

/**
 * Runs an admin command from the CLI: on the embedded database, when a server publishes `DATA_DIR/admin.json` and
 * answers, the command is forwarded to it (PGlite admits one process); otherwise this process opens the database
 * itself (always so on PostgreSQL, where any number of processes may connect).
 * @param config - the configuration.
 * @param command - the command found in the registry.
 * @param argv - the full argument list (command words first).
 * @returns the result and where it ran.
 */
export async function runAdminFromCli(config: Config, command: AdminCommand, argv: string[]): Promise<AdminResult & { forwarded: boolean }> {
  const wantsStdin = (command.stdinOptions ?? []).some((o) => argv.includes(`--${o}`));
  const stdin = wantsStdin ? await readStdin() : '';
  const args = absolutize(command, argv);
  if (!config.databaseUrl) {
    const endpoint = readAdminEndpoint(config.dataDir);
    const result = endpoint ? await forward(endpoint.port, endpoint.secret, args, stdin) : undefined;
    if (result) return { ...result, forwarded: true };
  }
  const core = await createCore(config);
  try {
    return { ...(await runAdminCommand(core, args, stdin)), forwarded: false };
  } finally {
    await core.close();
  }
}
