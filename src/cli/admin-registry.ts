import type { Core } from '../core.ts';

/** What an admin command prints and its exit code. */
export interface AdminResult {
  exitCode: number;
  output: string;
}

/**
 * An administrative command, runnable in the CLI process or forwarded to a running server (`POST /admin/cli`).
 * @param core - the registry core (database, repository).
 * @param args - the arguments after the command words.
 * @param stdinText - what the CLI read from standard input ('' when nothing was asked for).
 */
export type AdminCommandFn = (core: Core, args: string[], stdinText: string) => Promise<AdminResult>;

/** A registered admin command. */
export interface AdminCommand {
  /** Command words, e.g. `['user', 'add']`. */
  words: string[];
  usage: string;
  run: AdminCommandFn;
  /** Options whose value is a file path, made absolute before forwarding (the server's cwd differs). */
  fileOptions?: string[];
  /** Options that make the CLI read standard input. */
  stdinOptions?: string[];
}

const registry: AdminCommand[] = [];

/**
 * Adds a command to the registry (modules call this at import; e.g. `sender add` for HL7 senders can be added the same way).
 * @param command - the command.
 */
export function registerAdminCommand(command: AdminCommand): void {
  registry.push(command);
}

/**
 * Finds the command an argument list starts with.
 * @param argv - CLI arguments.
 * @returns the command and the remaining arguments, if any matches.
 */
export function findAdminCommand(argv: string[]): { command: AdminCommand; args: string[] } | undefined {
  const command = registry.find((c) => c.words.every((w, i) => argv[i] === w));
  return command ? { command, args: argv.slice(command.words.length) } : undefined;
}

/** @returns the usage lines of every admin command. */
export function adminUsage(): string {
  return registry.map((c) => `  ${c.usage}`).join('\n');
}

/**
 * Runs a command in this process, turning bad input into a usage message rather than a stack trace.
 * @param core - the core.
 * @param argv - command words and arguments.
 * @param stdinText - standard input read by the CLI.
 * @returns the result.
 */
export async function runAdminCommand(core: Core, argv: string[], stdinText: string): Promise<AdminResult> {
  const found = findAdminCommand(argv);
  if (!found) return { exitCode: 1, output: `Unknown command "${argv.join(' ')}"` };
  try {
    return await found.command.run(core, found.args, stdinText);
  } catch (err) {
    return { exitCode: 2, output: `Error: ${err instanceof Error ? err.message : String(err)}\nUsage: ${found.command.usage}` };
  }
}
