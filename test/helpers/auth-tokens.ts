import { randomUUID } from 'node:crypto';
import type { Registry } from '../../src/app.ts';
import type { Role } from '../../src/auth/access-claims.ts';

/** What a minted test token should say about its bearer. */
export interface MintOptions {
  role: Role;
  scopes: string[];
  organization?: string;
  jurisdiction?: string;
  fhirUser?: string;
  patient?: string;
  /** A backend service (client_credentials) token instead of a user's. */
  backend?: boolean;
}

interface TokenModel {
  save(): Promise<string>;
}
type TokenCtor = new (props: Record<string, unknown>) => TokenModel;

/**
 * Issues a real access token of the registry's authorization server without going through a browser flow: a user
 * (or backend client) with the given role is created, then the token is stored exactly as the token endpoint would
 * store it, so `auth.verifyAccessToken` and revocation treat it like any other. For tests of the FHIR-side policy.
 * @param registry - the registry under test.
 * @param o - role, scopes and context.
 * @returns the bearer token.
 */
export async function mintAccessToken(registry: Registry, o: MintOptions): Promise<string> {
  const { auth } = registry;
  const id = randomUUID().slice(0, 8);
  const clientId = `test-${o.backend ? 'svc' : 'app'}-${id}`;
  await auth.store.upsertClient(o.backend
    ? { id: clientId, type: 'backend', role: o.role, redirectUris: [], jwks: { keys: [] }, ...(o.organization ? { organization: o.organization } : {}) }
    : { id: clientId, type: 'public', role: o.role, redirectUris: ['http://app.test/cb'] });
  const client = await auth.provider.Client.find(clientId);
  const resourceServer = new auth.provider.ResourceServer(auth.fhirBase, { scope: o.scopes.join(' '), audience: auth.fhirBase, accessTokenFormat: 'opaque' });
  if (o.backend) {
    const Ctor = auth.provider.ClientCredentials as unknown as TokenCtor;
    return new Ctor({ client, scope: o.scopes.join(' '), resourceServer }).save();
  }
  const username = `test-user-${id}`;
  await auth.store.upsertUser({
    username, role: o.role, fhirUser: o.fhirUser ? [o.fhirUser] : [],
    ...(o.organization ? { organization: o.organization } : {}), ...(o.jurisdiction ? { jurisdiction: o.jurisdiction } : {}),
  });
  const grantId = randomUUID();
  await auth.contexts.saveGrantContext(grantId, { ...(o.patient ? { patient: o.patient } : {}), ...(o.fhirUser ? { fhirUser: o.fhirUser } : {}) }, 3600);
  const Ctor = auth.provider.AccessToken as unknown as TokenCtor;
  return new Ctor({ accountId: username, client, grantId, gty: 'authorization_code', scope: o.scopes.join(' '), resourceServer }).save();
}
