import { STATIC_SCOPES } from './provider-config.ts';

/**
 * The SMART configuration document served at `/.well-known/smart-configuration` at the server root and under
 * `/fhir` (https://hl7.org/fhir/smart-app-launch/conformance.html#using-well-known). Capabilities list only what
 * this server does and its tests prove.
 * @param issuer - the authorization server's issuer (`${BASE_URL}/auth`).
 * @returns the document.
 */
export function smartConfiguration(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    introspection_endpoint: `${issuer}/introspect`,
    revocation_endpoint: `${issuer}/revoke`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: [...STATIC_SCOPES, 'patient/*.rs', 'user/*.cruds', 'system/*.rs', 'patient/*.read', 'user/*.read', 'user/*.write', 'system/*.read'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-ehr', 'launch-standalone', 'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric',
      'context-ehr-patient', 'context-standalone-patient', 'permission-offline', 'permission-patient', 'permission-user',
      'permission-v1', 'permission-v2', 'sso-openid-connect',
    ],
  };
}
