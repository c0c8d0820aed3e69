import type { Db } from './db.ts';

/** A local account of the authorization server. */
export interface UserRecord {
  username: string;
  role: string;
  organization?: string;
  jurisdiction?: string;
  /** FHIR references: Practitioner/x for staff; Patient/x (self) and RelatedPerson/y (one per child) for patients. */
  fhirUser: string[];
  passwordHash?: string;
  /** Subject at the upstream identity provider, or the email matched against it. */
  upstreamSubject?: string;
  email?: string;
}

/** A registered client application (https://hl7.org/fhir/smart-app-launch/app-launch.html#register-app-with-ehr). */
export interface ClientRecord {
  id: string;
  type: 'public' | 'confidential' | 'backend';
  role: string;
  organization?: string;
  redirectUris: string[];
  secretHash?: string;
  jwks?: { keys: Record<string, unknown>[] };
  jwksUri?: string;
  /** Space-separated scopes the client may be granted; undefined means any its role allows. */
  scopes?: string;
}

interface UserRow {
  username: string; role: string; organization: string | null; jurisdiction: string | null; fhir_user: string[];
  password_hash: string | null; upstream_subject: string | null; email: string | null;
}
interface ClientRow {
  id: string; type: ClientRecord['type']; role: string; organization: string | null; redirect_uris: string[];
  secret_hash: string | null; jwks: ClientRecord['jwks'] | null; jwks_uri: string | null; scopes: string | null;
}

function toUser(r: UserRow): UserRecord {
  return {
    username: r.username, role: r.role, fhirUser: r.fhir_user ?? [],
    ...(r.organization ? { organization: r.organization } : {}), ...(r.jurisdiction ? { jurisdiction: r.jurisdiction } : {}),
    ...(r.password_hash ? { passwordHash: r.password_hash } : {}), ...(r.upstream_subject ? { upstreamSubject: r.upstream_subject } : {}),
    ...(r.email ? { email: r.email } : {}),
  };
}

function toClient(r: ClientRow): ClientRecord {
  return {
    id: r.id, type: r.type, role: r.role, redirectUris: r.redirect_uris ?? [],
    ...(r.organization ? { organization: r.organization } : {}), ...(r.secret_hash ? { secretHash: r.secret_hash } : {}),
    ...(r.jwks ? { jwks: r.jwks } : {}), ...(r.jwks_uri ? { jwksUri: r.jwks_uri } : {}), ...(r.scopes ? { scopes: r.scopes } : {}),
  };
}

/** SQL of the authorization server's users, clients, keys and sign-in failures. */
export class AuthStore {
  /** @param db - the database. */
  constructor(private readonly db: Db) {}

  /**
   * Creates or replaces a user (the password hash is kept when the new record has none).
   * @param u - the user.
   */
  async upsertUser(u: UserRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO auth_user (username, role, organization, jurisdiction, fhir_user, password_hash, upstream_subject, email)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role, organization = EXCLUDED.organization,
         jurisdiction = EXCLUDED.jurisdiction, fhir_user = EXCLUDED.fhir_user,
         password_hash = COALESCE(EXCLUDED.password_hash, auth_user.password_hash),
         upstream_subject = EXCLUDED.upstream_subject, email = EXCLUDED.email`,
      [u.username, u.role, u.organization ?? null, u.jurisdiction ?? null, u.fhirUser, u.passwordHash ?? null, u.upstreamSubject ?? null, u.email ?? null],
    );
  }

  /** @param username - user name. @returns the user, if any. */
  async findUser(username: string): Promise<UserRecord | undefined> {
    const rows = await this.db.query<UserRow>(`SELECT * FROM auth_user WHERE username = $1`, [username]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  /**
   * Finds the user an upstream identity provider's subject or email maps to.
   * @param subject - the upstream `sub`.
   * @param email - the upstream verified email, if any.
   * @returns the user, if any.
   */
  async findUserByUpstream(subject: string, email?: string): Promise<UserRecord | undefined> {
    const rows = await this.db.query<UserRow>(
      `SELECT * FROM auth_user WHERE upstream_subject = $1 OR ($2::text IS NOT NULL AND lower(email) = lower($2::text)) ORDER BY (upstream_subject = $1) DESC LIMIT 1`,
      [subject, email ?? null],
    );
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  /** @returns every user, by name (password hashes included; callers must not print them). */
  async listUsers(): Promise<UserRecord[]> {
    return (await this.db.query<UserRow>(`SELECT * FROM auth_user ORDER BY username`)).map(toUser);
  }

  /** @param username - user to delete. @returns whether it existed. */
  async deleteUser(username: string): Promise<boolean> {
    return this.deleteWithArtifacts(`DELETE FROM auth_user WHERE username = $1 RETURNING 1`, 'accountId', username);
  }

  /** @returns every client, by id. */
  async listClients(): Promise<ClientRecord[]> {
    return (await this.db.query<ClientRow>(`SELECT * FROM auth_client ORDER BY id`)).map(toClient);
  }

  /** @param id - client to delete. @returns whether it existed. */
  async deleteClient(id: string): Promise<boolean> {
    return this.deleteWithArtifacts(`DELETE FROM auth_client WHERE id = $1 RETURNING 1`, 'clientId', id);
  }

  /**
   * Deletes a user or client together with the sessions, grants and tokens oidc-provider issued to it, so nothing it
   * was given still works.
   * @param deleteSql - the DELETE … RETURNING of the user or client, `$1` its key.
   * @param owner - the payload field naming it in oidc-provider's artifacts (`accountId` or `clientId`).
   * @param key - its name or id.
   * @returns whether it existed.
   */
  private deleteWithArtifacts(deleteSql: string, owner: 'accountId' | 'clientId', key: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM oidc_payload WHERE payload->>'${owner}' = $1`, [key]);
      return (await tx.query(deleteSql, [key])).length > 0;
    });
  }

  /** @param username - user name. @param hash - new password hash. @returns whether the user exists. */
  async setPasswordHash(username: string, hash: string): Promise<boolean> {
    const rows = await this.db.query(`UPDATE auth_user SET password_hash = $2 WHERE username = $1 RETURNING 1`, [username, hash]);
    return rows.length > 0;
  }

  /** @param c - the client to create or replace. */
  async upsertClient(c: ClientRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO auth_client (id, type, role, organization, redirect_uris, secret_hash, jwks, jwks_uri, scopes)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
       ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, role = EXCLUDED.role, organization = EXCLUDED.organization,
         redirect_uris = EXCLUDED.redirect_uris, secret_hash = EXCLUDED.secret_hash, jwks = EXCLUDED.jwks,
         jwks_uri = EXCLUDED.jwks_uri, scopes = EXCLUDED.scopes`,
      [c.id, c.type, c.role, c.organization ?? null, c.redirectUris, c.secretHash ?? null, c.jwks ? JSON.stringify(c.jwks) : null, c.jwksUri ?? null, c.scopes ?? null],
    );
  }

  /** @param id - client id. @returns the client, if any. */
  async findClient(id: string): Promise<ClientRecord | undefined> {
    const rows = await this.db.query<ClientRow>(`SELECT * FROM auth_client WHERE id = $1`, [id]);
    return rows[0] ? toClient(rows[0]) : undefined;
  }

  /** @param use - key purpose (e.g. `sig`, `cookie`). @returns stored private JWKs, oldest first. */
  async listKeys(use: string): Promise<Record<string, unknown>[]> {
    const rows = await this.db.query<{ jwk: Record<string, unknown> }>(`SELECT jwk FROM auth_key WHERE use = $1 ORDER BY created_at, kid`, [use]);
    return rows.map((r) => r.jwk);
  }

  /**
   * Stores a key unless one with that kid exists (two nodes starting at once keep the first).
   * @param kid - key id. @param use - purpose. @param jwk - private JWK.
   */
  async insertKey(kid: string, use: string, jwk: Record<string, unknown>): Promise<void> {
    await this.db.query(`INSERT INTO auth_key (kid, use, jwk) VALUES ($1, $2, $3::jsonb) ON CONFLICT (kid) DO NOTHING`, [kid, use, JSON.stringify(jwk)]);
  }

  /** @param username - user name. */
  async recordLoginFailure(username: string): Promise<void> {
    await this.db.query(`INSERT INTO auth_login_failure (username) VALUES ($1)`, [username]);
  }

  /**
   * The latest failed sign-ins of a user, newest first.
   * @param username - user name. @param limit - how many. @param windowSeconds - how far back to look.
   * @returns their times (epoch milliseconds).
   */
  async latestLoginFailures(username: string, limit: number, windowSeconds: number): Promise<number[]> {
    const rows = await this.db.query<{ failed_at: string | Date }>(
      `SELECT failed_at FROM auth_login_failure WHERE username = $1 AND failed_at > now() - make_interval(secs => $2) ORDER BY failed_at DESC LIMIT $3`,
      [username, windowSeconds, limit],
    );
    return rows.map((r) => new Date(r.failed_at).getTime());
  }

  /** Deletes sign-in failures older than a day (they no longer count towards a lock). */
  async sweepLoginFailures(): Promise<void> {
    await this.db.query(`DELETE FROM auth_login_failure WHERE failed_at < now() - interval '1 day'`);
  }

  /** @param username - user name whose failures are forgotten (successful sign-in, unlock). */
  async clearLoginFailures(username: string): Promise<void> {
    await this.db.query(`DELETE FROM auth_login_failure WHERE username = $1`, [username]);
  }
}
