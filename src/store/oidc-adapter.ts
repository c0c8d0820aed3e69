import type { Db } from './db.ts';

/** What oidc-provider stores for one artifact (session, code, token, grant, interaction…). */
export type OidcPayload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; consumed?: number };

/**
 * oidc-provider's storage Adapter contract (https://github.com/panva/node-oidc-provider/blob/v8.x/docs/README.md#adapter),
 * spelled out here so the store does not depend on the provider's types.
 */
export interface OidcAdapter {
  upsert(id: string, payload: OidcPayload, expiresIn: number): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/**
 * Builds the adapter class oidc-provider instantiates once per model name, storing every model in `oidc_payload`
 * (one SQL dialect for pg and PGlite). Expired rows are invisible to `find` and swept by {@link sweepExpiredOidcPayloads}.
 * @param db - the database.
 * @param special - models served from elsewhere (e.g. `Client` from the registered clients table).
 * @returns a class whose constructor takes the model name.
 */
export function createOidcAdapterClass(db: Db, special: Record<string, (id: string) => Promise<OidcPayload | undefined>> = {}): new (model: string) => OidcAdapter {
  return class SqlOidcAdapter implements OidcAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: OidcPayload, expiresIn: number): Promise<void> {
      const expires = expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null;
      await db.query(
        `INSERT INTO oidc_payload (model, id, payload, grant_id, user_code, uid, expires_at)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
           user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
        [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expires],
      );
    }

    async find(id: string): Promise<OidcPayload | undefined> {
      const load = special[this.model];
      if (load) return load(id);
      return this.findWhere('id = $2', id);
    }

    findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
      return this.findWhere('user_code = $2', userCode);
    }

    findByUid(uid: string): Promise<OidcPayload | undefined> {
      return this.findWhere('uid = $2', uid);
    }

    async consume(id: string): Promise<void> {
      await db.query(`UPDATE oidc_payload SET consumed_at = now() WHERE model = $1 AND id = $2`, [this.model, id]);
    }

    async destroy(id: string): Promise<void> {
      await db.query(`DELETE FROM oidc_payload WHERE model = $1 AND id = $2`, [this.model, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.query(`DELETE FROM oidc_payload WHERE grant_id = $1`, [grantId]);
    }

    private async findWhere(condition: string, value: string): Promise<OidcPayload | undefined> {
      const rows = await db.query<{ payload: OidcPayload; consumed_at: string | null }>(
        `SELECT payload, consumed_at FROM oidc_payload WHERE model = $1 AND ${condition} AND (expires_at IS NULL OR expires_at > now())`,
        [this.model, value],
      );
      const row = rows[0];
      if (!row) return undefined;
      return row.consumed_at ? { ...row.payload, consumed: Math.floor(Date.parse(row.consumed_at) / 1000) } : row.payload;
    }
  };
}

/**
 * Deletes expired oidc-provider artifacts.
 * @param db - the database.
 * @returns the number of rows deleted.
 */
export async function sweepExpiredOidcPayloads(db: Db): Promise<number> {
  const rows = await db.query<{ n: number }>(`WITH d AS (DELETE FROM oidc_payload WHERE expires_at < now() RETURNING 1) SELECT count(*)::int AS n FROM d`);
  return rows[0]?.n ?? 0;
}
