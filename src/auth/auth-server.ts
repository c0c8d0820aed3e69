import { TokenClaimsCache } from './token-cache.ts';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config.ts';
import type { Db } from '../store/db.ts';
import type { Repository } from '../store/repository.ts';
import { AuthStore } from '../store/auth-store.ts';
import { createOidcAdapterClass, sweepExpiredOidcPayloads, type OidcAdapter } from '../store/oidc-adapter.ts';
import { isRole, type AccessClaims } from './access-claims.ts';
import { loadOrCreateKeys } from './keys.ts';
import { verifyPassword } from './passwords.ts';
import { buildProviderConfiguration } from './provider-config.ts';
import { clientMetadata, SmartContextStore } from './smart-context.ts';
import { smartConfiguration } from './smart-configuration.ts';
import { splitScopes } from './scopes.ts';

/** Path prefix the authorization server is mounted under. */
export const AUTH_PREFIX = '/auth';

/** Raised by {@link AuthServer.verifyAccessToken} for an unknown, expired or revoked token (RFC 6750 invalid_token). */
export class InvalidTokenError extends Error {
  /** OAuth error code. */
  readonly code = 'invalid_token';
}

/** Options of {@link createAuthServer}. */
export interface AuthServerOptions {
  config: Config;
  db: Db;
  repo: Repository;
}

/** The SMART authorization server: oidc-provider, its stores and the token check the FHIR side uses. */
export interface AuthServer {
  readonly provider: Provider;
  readonly store: AuthStore;
  readonly contexts: SmartContextStore;
  /** The storage adapter class (one instance per artifact kind) for short-lived server-side records. */
  readonly Adapter: new (model: string) => OidcAdapter;
  readonly repo: Repository;
  readonly config: Config;
  /** Issuer, `${BASE_URL}/auth`. */
  readonly issuer: string;
  /** FHIR base URL, the tokens' audience. */
  readonly fhirBase: string;
  /** The `/.well-known/smart-configuration` document. */
  smartConfiguration(): Record<string, unknown>;
  /**
   * Checks a bearer token (https://hl7.org/fhir/smart-app-launch/app-launch.html#access-token): it must be one this
   * server issued, unexpired and not revoked. Tokens are opaque and looked up; a verified token's claims are reused
   * for `TOKEN_CACHE_SECONDS` (revocation in this process takes effect at once, on other nodes within that interval).
   * @param token - the bearer token.
   * @returns what it grants.
   * @throws InvalidTokenError otherwise.
   */
  verifyAccessToken(token: string): Promise<AccessClaims>;
  /** Drops the short-lived memory of verified tokens (after users, clients or grants change). */
  forgetVerifiedTokens(): void;
  /** Stops the sweeper of expired artifacts (all state lives in the database). */
  close(): Promise<void>;
}

interface StoredToken {
  accountId?: string; clientId: string; scope?: string; exp?: number; isExpired?: boolean; grantId?: string;
  extra?: Record<string, unknown>;
}

/**
 * Creates the authorization server: loads (or generates) keys, builds oidc-provider over our database, and adds
 * the SMART touches oidc-provider lacks (launch `patient` and the full granted `scope` in the token response,
 * `offline_access` without `prompt=consent` by always asking for consent).
 * Mount its HTTP side with `registerAuthRoutes` from `src/auth/http/routes.ts`.
 * @param options - configuration, database and repository.
 * @returns the server.
 */
export async function createAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const { config, db, repo } = options;
  const store = new AuthStore(db);
  const keys = await loadOrCreateKeys(store);
  const Adapter = createOidcAdapterClass(db, {
    Client: async (id) => {
      const c = await store.findClient(id);
      return c ? clientMetadata(c) : undefined;
    },
  });
  const contexts = new SmartContextStore(Adapter);
  const fhirBase = `${config.baseUrl}/fhir`;
  const issuer = config.authIssuer;
  const configuration = buildProviderConfiguration({
    store, keys, contexts, fhirBase, adapter: Adapter as unknown as Configuration['adapter'], interactionPath: `${AUTH_PREFIX}/interaction`,
  });
  const provider = new Provider(issuer, configuration);
  provider.proxy = true;
  // Client secrets are stored as scrypt hashes; oidc-provider compares plain values, so compare against the hash.
  (provider.Client.prototype as unknown as { compareClientSecret(actual: string): Promise<boolean> }).compareClientSecret = function compare(this: { clientSecret?: string }, actual: string) {
    return this.clientSecret ? verifyPassword(actual, this.clientSecret) : Promise.resolve(false);
  };
  provider.use(smartMiddleware(provider, fhirBase));
  // Verified claims are reused for a few seconds; any revocation in this process forgets them all at once.
  const recent = new TokenClaimsCache(config.tokenCacheSeconds * 1000);
  const forget = (): void => recent.clear();
  provider.on('grant.revoked', forget);
  provider.on('access_token.destroyed', forget);
  provider.on('client_credentials.destroyed', forget);
  provider.on('refresh_token.destroyed', forget);
  // Unexpected failures inside oidc-provider answer 500 to the client; keep the reason for operators (no request data).
  provider.on('server_error', (_ctx: unknown, err: Error) => console.error('authorization server error:', err.message));

  async function findToken(token: string): Promise<StoredToken | undefined> {
    const at = (await provider.AccessToken.find(token)) as unknown as StoredToken | undefined;
    return at ?? ((await provider.ClientCredentials.find(token)) as unknown as StoredToken | undefined);
  }

  // Expired codes, tokens, sessions and old sign-in failures are deleted in the background; any node may do it.
  const sweep = setInterval(() => {
    void sweepExpiredOidcPayloads(db).then(() => store.sweepLoginFailures()).catch(() => undefined);
  }, 10 * 60 * 1000);
  sweep.unref();

  return {
    provider, store, contexts, Adapter, repo, config, issuer, fhirBase,
    smartConfiguration: () => smartConfiguration(issuer),
    async verifyAccessToken(token: string): Promise<AccessClaims> {
      const known = recent.get(token);
      if (known) return known;
      const claims = await lookUp(token);
      recent.set(token, claims);
      return claims;
    },
    forgetVerifiedTokens() {
      recent.clear();
    },
    async close() {
      clearInterval(sweep);
    },
  };

  async function lookUp(token: string): Promise<AccessClaims> {
    const t = token && token.length < 512 ? await findToken(token) : undefined;
    const now = Math.floor(Date.now() / 1000);
    if (!t || t.isExpired || !t.exp || t.exp <= now) throw new InvalidTokenError('the access token is unknown, expired or revoked');
    const extra = t.extra ?? {};
    const role = String(extra.role ?? '');
    if (!isRole(role)) throw new InvalidTokenError('the access token carries no registry role');
    const str = (k: string): string | undefined => (typeof extra[k] === 'string' ? (extra[k] as string) : undefined);
    const claims: AccessClaims = { sub: t.accountId ?? t.clientId, clientId: t.clientId, scopes: splitScopes(t.scope), role, expiresAt: t.exp };
    for (const k of ['organization', 'jurisdiction', 'fhirUser', 'patient'] as const) {
      const v = str(k);
      if (v) claims[k] = v;
    }
    return claims;
  }
}

/** Koa middleware around oidc-provider's routes for SMART specifics. */
function smartMiddleware(provider: Provider, fhirBase: string) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    if (ctx.path === '/authorize' && ctx.method === 'GET') {
      const q = { ...ctx.query } as Record<string, string | string[] | undefined>;
      const aud = typeof q.aud === 'string' ? q.aud.replace(/\/+$/, '') : undefined;
      if (aud !== undefined && aud !== fhirBase) {
        ctx.status = 400;
        ctx.type = 'text/plain';
        ctx.body = `aud must be this server's FHIR base URL (${fhirBase})`;
        return;
      }
      // OpenID Connect drops offline_access unless prompt=consent; SMART apps never send it, and this server asks for
      // consent on every authorization anyway, so make it explicit.
      const scope = typeof q.scope === 'string' ? q.scope.split(' ') : [];
      const prompt = typeof q.prompt === 'string' ? q.prompt.split(' ') : [];
      if (scope.includes('offline_access') && !prompt.includes('consent') && !prompt.includes('none')) {
        ctx.query = { ...q, prompt: [...prompt, 'consent'].join(' ') };
      }
    }
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.path === '/token' && ctx.status === 200 && body && typeof body.access_token === 'string') {
      const at = (await provider.AccessToken.find(body.access_token)) as unknown as StoredToken | undefined;
      if (at?.extra?.patient) body.patient = at.extra.patient;
      const grant = at?.grantId ? await provider.Grant.find(at.grantId) : undefined;
      if (grant) body.scope = [...new Set([...splitScopes(grant.getOIDCScope()), ...splitScopes(body.scope as string | undefined)])].join(' ');
    }
  };
}
