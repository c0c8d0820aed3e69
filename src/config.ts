/** Log levels accepted by pino. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Typed, validated configuration of the registry, read once at boot. */
export interface Config {
  /** TCP port of the HTTP server. */
  port: number;
  /** Interface the HTTP server binds to. */
  host: string;
  /** Public base URL of the server (no trailing slash); the FHIR base is `${baseUrl}/fhir`. */
  baseUrl: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string;
  /** Folder of the embedded database and other local state. */
  dataDir: string;
  /** pino log level. */
  logLevel: (typeof LOG_LEVELS)[number];
  /** Largest accepted request body in bytes (413 above it). */
  bodyLimit: number;
  /** Load the demo data set when the database is empty. */
  seedDemoData: boolean;
  /**
   * Authorization is off (`AUTH_DISABLED=true` or `AUTH=off`): for local development only, refused unless `host` is a
   * loopback address. On by default.
   */
  authDisabled: boolean;
  /** Issuer of the SMART authorization server: `${baseUrl}/auth`. */
  authIssuer: string;
  /** Upstream OpenID Connect identity provider for staff sign-in (UPSTREAM_OIDC_*), when configured. */
  upstreamOidc?: UpstreamOidcConfig;
  /** Start the HL7 v2 MLLP listener when the HTTP server listens (`MLLP_ENABLED`, default true). */
  mllpEnabled: boolean;
  /** TCP port of the MLLP listener (`MLLP_PORT`, default 2575; 0 picks a free port). */
  mllpPort: number;
  /** Interface the MLLP listener binds to (`MLLP_HOST`, default the HTTP host). */
  mllpHost: string;
  /** Largest accepted HL7 v2 message in bytes on every transport (`HL7_MAX_MESSAGE_BYTES`, default 1 MiB). */
  hl7MaxMessageBytes: number;
  /** Answer QBP queries over MLLP (`MLLP_QUERIES`, default false: MLLP has no credentials). */
  mllpQueries: boolean;
  /** Seconds a verified access token's claims are reused before it is looked up again (`TOKEN_CACHE_SECONDS`, default 10; 0 = every request). */
  tokenCacheSeconds: number;
}

/** An upstream OpenID Connect identity provider that staff may sign in with. */
export interface UpstreamOidcConfig {
  /** Issuer URL; its discovery document is read at start. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in page as "Sign in with <name>". */
  name: string;
}

/** Raised for a bad configuration value; `main.ts` prints its message and exits. */
export class ConfigError extends Error {}

function parseInteger(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function parseBoolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/**
 * Whether a bind address only accepts local connections.
 * @param host - HOST value.
 * @returns true for localhost, 127.0.0.0/8 and ::1.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function parseAuthDisabled(env: NodeJS.ProcessEnv, host: string): boolean {
  const disabled = (env.AUTH_DISABLED ? parseBoolean('AUTH_DISABLED', env.AUTH_DISABLED) : false)
    || (env.AUTH ? !parseBoolean('AUTH', env.AUTH) : false);
  if (disabled && !isLoopbackHost(host)) {
    throw new ConfigError(`authorization may only be disabled (AUTH_DISABLED/AUTH=off) when HOST is a loopback address, got "${host}"`);
  }
  return disabled;
}

function parseUpstreamOidc(env: NodeJS.ProcessEnv): UpstreamOidcConfig | undefined {
  const issuer = env.UPSTREAM_OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  const clientId = env.UPSTREAM_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.UPSTREAM_OIDC_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret) {
    throw new ConfigError('UPSTREAM_OIDC_ISSUER needs UPSTREAM_OIDC_CLIENT_ID and UPSTREAM_OIDC_CLIENT_SECRET');
  }
  return { issuer: parseUrl('UPSTREAM_OIDC_ISSUER', issuer, ['http:', 'https:']), clientId, clientSecret, name: env.UPSTREAM_OIDC_NAME?.trim() || 'your organization' };
}

function parseUrl(name: string, raw: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  return raw.replace(/\/+$/, '');
}

/**
 * Reads the configuration from environment variables, applying defaults and rejecting bad values with a message
 * that names the variable.
 * @param env - the environment, normally `process.env`.
 * @returns the validated configuration.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT ? parseInteger('PORT', env.PORT, 0, 65535) : 8080;
  const host = env.HOST?.trim() || '127.0.0.1';
  const baseUrl = env.BASE_URL ? parseUrl('BASE_URL', env.BASE_URL, ['http:', 'https:']) : `http://localhost:${port}`;
  const databaseUrl = env.DATABASE_URL?.trim()
    ? parseUrl('DATABASE_URL', env.DATABASE_URL.trim(), ['postgres:', 'postgresql:'])
    : undefined;
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const bodyLimit = env.BODY_LIMIT ? parseInteger('BODY_LIMIT', env.BODY_LIMIT, 1024, 1024 ** 3) : 16 * 1024 * 1024;
  const seedDemoData = env.SEED_DEMO_DATA ? parseBoolean('SEED_DEMO_DATA', env.SEED_DEMO_DATA) : true;
  const upstreamOidc = parseUpstreamOidc(env);
  const mllpEnabled = env.MLLP_ENABLED ? parseBoolean('MLLP_ENABLED', env.MLLP_ENABLED) : true;
  const mllpPort = env.MLLP_PORT ? parseInteger('MLLP_PORT', env.MLLP_PORT, 0, 65535) : 2575;
  const hl7MaxMessageBytes = env.HL7_MAX_MESSAGE_BYTES ? parseInteger('HL7_MAX_MESSAGE_BYTES', env.HL7_MAX_MESSAGE_BYTES, 1024, 64 * 1024 ** 2) : 1024 ** 2;
  return {
    port,
    host,
    baseUrl,
    databaseUrl,
    dataDir: env.DATA_DIR?.trim() || './data',
    logLevel,
    bodyLimit,
    seedDemoData,
    authDisabled: parseAuthDisabled(env, host),
    authIssuer: `${baseUrl}/auth`,
    ...(upstreamOidc ? { upstreamOidc } : {}),
    mllpEnabled,
    mllpPort,
    mllpHost: env.MLLP_HOST?.trim() || host,
    hl7MaxMessageBytes,
    mllpQueries: env.MLLP_QUERIES ? parseBoolean('MLLP_QUERIES', env.MLLP_QUERIES) : false,
    tokenCacheSeconds: env.TOKEN_CACHE_SECONDS ? parseInteger('TOKEN_CACHE_SECONDS', env.TOKEN_CACHE_SECONDS, 0, 300) : 10,
  };
}
