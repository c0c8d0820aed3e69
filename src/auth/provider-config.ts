import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { AuthStore } from '../store/auth-store.ts';
import type { ServerKeys } from './keys.ts';
import { tokenExtraClaims, type SmartContextStore } from './smart-context.ts';
import { grantableSystemScopes, isResourceScope, splitScopes } from './scopes.ts';
import { renderErrorPage } from './pages.ts';

/** Most a client assertion may live (SMART Backend Services: `exp` no more than five minutes in the future). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** Scopes oidc-provider knows statically; resource scopes are matched by the SMART grammar instead. */
export const STATIC_SCOPES = ['openid', 'offline_access', 'fhirUser', 'launch', 'launch/patient', 'online_access', 'profile'];

/** Inputs of {@link buildProviderConfiguration}. */
export interface ProviderConfigInput {
  store: AuthStore;
  keys: ServerKeys;
  contexts: SmartContextStore;
  /** oidc-provider Adapter class over our database. */
  adapter: Configuration['adapter'];
  /** The FHIR base URL: the one resource server tokens are for (SMART `aud`). */
  fhirBase: string;
  /** Path the interaction pages are served under, e.g. `/auth/interaction`. */
  interactionPath: string;
}

/** Scopes requested in this request, or held by the code/refresh token being exchanged. */
function requestedScopes(ctx: KoaContextWithOIDC): string[] {
  const entities = ctx.oidc.entities as Record<string, { scope?: string } | undefined>;
  return splitScopes(ctx.oidc.params?.scope as string | undefined ?? entities.RefreshToken?.scope ?? entities.AuthorizationCode?.scope);
}

/**
 * The oidc-provider 8 configuration of the SMART App Launch 2.x authorization server
 * (https://hl7.org/fhir/smart-app-launch/app-launch.html, https://hl7.org/fhir/smart-app-launch/backend-services.html):
 * authorization code with PKCE S256 required for every client, refresh tokens only with `offline_access`,
 * `client_credentials` with `private_key_jwt` (RS384/ES384) for backend services, introspection and revocation.
 * Access tokens are opaque (looked up on every use, so revocation takes effect at once) and carry the bearer's
 * role, organization, jurisdiction, fhirUser and launch patient as `extra` claims.
 * @param input - store, keys and URLs.
 * @returns the configuration.
 */
export function buildProviderConfiguration(input: ProviderConfigInput): Configuration {
  const { store, contexts, fhirBase } = input;
  const config = {
    adapter: input.adapter,
    jwks: { keys: input.keys.signing },
    cookies: { keys: input.keys.cookieKeys, long: { signed: true, httpOnly: true, sameSite: 'lax' }, short: { signed: true, httpOnly: true, sameSite: 'lax' } },
    scopes: STATIC_SCOPES,
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['preferred_username'] },
    conformIdTokenClaims: false,
    extraParams: ['launch', 'aud'],
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS384', 'ES384'],
      idTokenSigningAlgValues: ['RS256', 'ES384'],
    },
    pkce: { methods: ['S256'], required: () => true },
    routes: { authorization: '/authorize', token: '/token', jwks: '/jwks', introspection: '/introspect', revocation: '/revoke', userinfo: '/userinfo', end_session: '/logout' },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true, allowedPolicy: async (_ctx: KoaContextWithOIDC, client: { clientAuthMethod: string }) => client.clientAuthMethod !== 'none' },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBase,
        useGrantedResource: () => true,
        getResourceServerInfo: async (ctx: KoaContextWithOIDC, resource: string, client: { clientId: string }) => {
          if (resource !== fhirBase) throw new errors.InvalidTarget();
          const requested = requestedScopes(ctx);
          let scope = requested.filter(isResourceScope);
          if (ctx.oidc.route === 'token' && (ctx.oidc.params?.grant_type as string) === 'client_credentials') {
            const record = await store.findClient(client.clientId);
            scope = record?.type === 'backend' ? grantableSystemScopes(requested, record.scopes) : [];
          }
          return { scope: scope.join(' '), audience: fhirBase, accessTokenFormat: 'opaque', accessTokenTTL: 3600 };
        },
      },
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `${input.interactionPath}/${interaction.uid}` },
    // Every authorization asks for consent (and a patient choice): an earlier grant is never silently reused.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = (ctx.oidc.result as { consent?: { grantId?: string } } | undefined)?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    findAccount: async (ctx: KoaContextWithOIDC, sub: string, token?: { grantId?: string }) => {
      const user = await store.findUser(sub);
      if (!user) return undefined;
      const grantId = token?.grantId ?? (ctx.oidc.entities as { Grant?: { jti: string } }).Grant?.jti;
      const launch = grantId ? await contexts.findGrantContext(grantId) : undefined;
      const fhirUser = launch?.fhirUser ?? user.fhirUser[0];
      return { accountId: sub, claims: () => ({ sub, preferred_username: sub, ...(fhirUser ? { fhirUser } : {}) }) };
    },
    extraTokenClaims: (ctx: KoaContextWithOIDC, token: Parameters<typeof tokenExtraClaims>[1]) => tokenExtraClaims(input, token),
    assertJwtClientAuthClaimsAndHeader: async (_ctx: KoaContextWithOIDC, claims: { exp?: number; jti?: string }) => {
      const now = Math.floor(Date.now() / 1000);
      if (typeof claims.exp !== 'number' || claims.exp - now > MAX_ASSERTION_LIFETIME_SECONDS) {
        throw new errors.InvalidClientAuth('client assertion exp must be at most five minutes in the future');
      }
      if (!claims.jti) throw new errors.InvalidClientAuth('client assertion must have a jti');
    },
    clientBasedCORS: () => true,
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(out.error ?? 'error', out.error_description ?? '');
    },
    ttl: {
      AccessToken: 3600, AuthorizationCode: 60, ClientCredentials: 900, IdToken: 3600, RefreshToken: 30 * 24 * 3600,
      Interaction: 3600, Session: 8 * 3600, Grant: 30 * 24 * 3600,
    },
    extraClientMetadata: { properties: [] },
    clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none', id_token_signed_response_alg: 'RS256' },
  };
  return config as unknown as Configuration;
}
