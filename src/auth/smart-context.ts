import { randomBytes } from 'node:crypto';
import type { AuthStore, ClientRecord } from '../store/auth-store.ts';
import type { OidcAdapter, OidcPayload } from '../store/oidc-adapter.ts';

/** Launch context chosen during an authorization (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html). */
export interface GrantContext {
  /** The patient in context (`launch/patient` picker or EHR launch). */
  patient?: string;
  /** fhirUser for this grant: the guardian's RelatedPerson for the chosen child, else the user's first reference. */
  fhirUser?: string;
}

/** An EHR launch context created by `POST /auth/launch` (SMART EHR launch, `launch` parameter). */
export interface LaunchContext {
  patient: string;
  /** Who created it (user name or client id), for audit. */
  createdBy: string;
}

/** Seconds an EHR launch id stays usable. */
const LAUNCH_TTL = 600;

/** Stores launch contexts and per-grant contexts as oidc-provider artifacts (same table, same expiry, same revocation). */
export class SmartContextStore {
  private readonly grants: OidcAdapter;
  private readonly launches: OidcAdapter;

  /** @param Adapter - the adapter class oidc-provider uses. */
  constructor(Adapter: new (model: string) => OidcAdapter) {
    this.grants = new Adapter('SmartGrantContext');
    this.launches = new Adapter('SmartLaunch');
  }

  /** @param grantId - grant. @param context - chosen context; deleted with the grant's tokens on revocation. @param ttl - seconds. */
  async saveGrantContext(grantId: string, context: GrantContext, ttl: number): Promise<void> {
    await this.grants.upsert(grantId, { ...context, grantId } as OidcPayload, ttl);
  }

  /** @param grantId - grant. @returns its context, if any. */
  async findGrantContext(grantId: string): Promise<GrantContext | undefined> {
    const p = await this.grants.find(grantId);
    return p ? { ...(p.patient ? { patient: String(p.patient) } : {}), ...(p.fhirUser ? { fhirUser: String(p.fhirUser) } : {}) } : undefined;
  }

  /** @param context - the patient and creator. @returns the opaque `launch` value. */
  async createLaunch(context: LaunchContext): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    await this.launches.upsert(id, { ...context } as OidcPayload, LAUNCH_TTL);
    return id;
  }

  /** @param id - the `launch` value. @returns its context, if it exists and has not expired. */
  async findLaunch(id: string): Promise<LaunchContext | undefined> {
    const p = await this.launches.find(id);
    return p ? { patient: String(p.patient), createdBy: String(p.createdBy) } : undefined;
  }
}

/**
 * Maps a registered client to oidc-provider client metadata (RFC 7591 names). Public apps authenticate with PKCE
 * only; confidential apps with private_key_jwt when registered with keys (client-confidential-asymmetric), else
 * client_secret_basic (the stored value is an scrypt hash, compared by the patched `compareClientSecret`); backend
 * services with private_key_jwt against their JWKS or jwks_uri.
 * @param c - the client.
 * @returns the metadata.
 */
export function clientMetadata(c: ClientRecord): OidcPayload {
  if (c.type === 'backend') {
    return {
      client_id: c.id, grant_types: ['client_credentials'], response_types: [], redirect_uris: [],
      token_endpoint_auth_method: 'private_key_jwt', ...(c.jwksUri ? { jwks_uri: c.jwksUri } : { jwks: c.jwks ?? { keys: [] } }),
    };
  }
  const keys = c.jwksUri ? { jwks_uri: c.jwksUri } : c.jwks ? { jwks: c.jwks } : undefined;
  const auth = c.type === 'public' ? { token_endpoint_auth_method: 'none' }
    : keys ? { token_endpoint_auth_method: 'private_key_jwt', ...keys } // client-confidential-asymmetric
      : { client_secret: c.secretHash, token_endpoint_auth_method: 'client_secret_basic' };
  return { client_id: c.id, redirect_uris: c.redirectUris, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], ...auth };
}

/** The parts of an oidc-provider token extraTokenClaims reads. */
export interface TokenLike {
  kind: string;
  accountId?: string;
  clientId?: string;
  grantId?: string;
}

/**
 * Claims stored with every access token (opaque tokens keep them server-side as `extra`) so the resource server
 * gets role, organization, jurisdiction, fhirUser and patient without further lookups.
 * @param input - the auth store and launch contexts.
 * @param token - the token being issued.
 * @returns the extra claims.
 */
export async function tokenExtraClaims(input: { store: AuthStore; contexts: SmartContextStore }, token: TokenLike): Promise<Record<string, string> | undefined> {
  if (token.kind === 'ClientCredentials') {
    const client = token.clientId ? await input.store.findClient(token.clientId) : undefined;
    if (!client) return undefined;
    return { role: client.role, ...(client.organization ? { organization: client.organization } : {}) };
  }
  if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
  const user = await input.store.findUser(token.accountId);
  if (!user) return undefined;
  const launch = token.grantId ? await input.contexts.findGrantContext(token.grantId) : undefined;
  const fhirUser = launch?.fhirUser ?? user.fhirUser[0];
  return {
    role: user.role,
    ...(user.organization ? { organization: user.organization } : {}),
    ...(user.jurisdiction ? { jurisdiction: user.jurisdiction } : {}),
    ...(fhirUser ? { fhirUser } : {}),
    ...(launch?.patient ? { patient: launch.patient } : {}),
  };
}
