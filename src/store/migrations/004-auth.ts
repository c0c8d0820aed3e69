/**
 * The SMART authorization server's state (https://hl7.org/fhir/smart-app-launch/): local users and registered
 * clients, the server's signing keys (generated on first start, so every app node signs with the same keys),
 * oidc-provider's artifacts (sessions, interactions, codes, tokens, grants, replay-detection entries) and sign-in
 * failures for lockout. Everything lives in the database so any app node can serve any step of a flow.
 */
export const sql = `
CREATE TABLE auth_user (
  username text PRIMARY KEY,
  role text NOT NULL,
  organization text,
  jurisdiction text,
  fhir_user text[] NOT NULL DEFAULT '{}',
  password_hash text,
  upstream_subject text,
  email text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX auth_user_upstream_idx ON auth_user (upstream_subject) WHERE upstream_subject IS NOT NULL;
CREATE INDEX auth_user_email_idx ON auth_user (lower(email));

CREATE TABLE auth_client (
  id text PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('public', 'confidential', 'backend')),
  role text NOT NULL,
  organization text,
  redirect_uris text[] NOT NULL DEFAULT '{}',
  secret_hash text,
  jwks jsonb,
  jwks_uri text,
  scopes text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auth_key (
  kid text PRIMARY KEY,
  use text NOT NULL,
  jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE oidc_payload (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_payload_grant_idx ON oidc_payload (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_payload_uid_idx ON oidc_payload (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_payload_expires_idx ON oidc_payload (expires_at);

CREATE TABLE auth_login_failure (
  username text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_login_failure_idx ON auth_login_failure (username, failed_at);
`;
