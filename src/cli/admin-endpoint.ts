import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

/** What a running server on the embedded database publishes so the CLI can forward admin commands to it. */
export interface AdminEndpoint {
  port: number;
  secret: string;
  pid: number;
}

/**
 * Path of the endpoint file in DATA_DIR.
 * @param dataDir - the data folder.
 * @returns `DATA_DIR/admin.json`.
 */
export function adminEndpointPath(dataDir: string): string {
  return join(dataDir, 'admin.json');
}

/** @returns a random admin secret (256 bits). */
export function newAdminSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Writes `DATA_DIR/admin.json` readable by the owner only (mode 0600): PGlite lets one process open the database,
 * so while the server runs the CLI sends its commands to the server's loopback port with this secret.
 * @param dataDir - the data folder.
 * @param endpoint - port, secret and process id.
 */
export function writeAdminEndpoint(dataDir: string, endpoint: AdminEndpoint): void {
  const path = adminEndpointPath(dataDir);
  writeFileSync(path, JSON.stringify(endpoint), { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * Reads the endpoint file, if present and well formed.
 * @param dataDir - the data folder.
 * @returns the endpoint.
 */
export function readAdminEndpoint(dataDir: string): AdminEndpoint | undefined {
  const path = adminEndpointPath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    const e = JSON.parse(readFileSync(path, 'utf8')) as AdminEndpoint;
    return typeof e.port === 'number' && typeof e.secret === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes the endpoint file on shutdown, unless another process has replaced it.
 * @param dataDir - the data folder.
 * @param secret - this server's secret.
 */
export function removeAdminEndpoint(dataDir: string, secret: string): void {
  if (readAdminEndpoint(dataDir)?.secret === secret) rmSync(adminEndpointPath(dataDir), { force: true });
}
