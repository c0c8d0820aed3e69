import type { Resource } from '@medplum/fhirtypes';
import { randomUUID } from 'node:crypto';
import { gone } from '../../fhir/outcomes.ts';
import type { Db, SqlValue } from '../db.ts';
import { SqlParams } from '../sql.ts';

/** Most results a sorted search's snapshot keeps; later pages past it fall back to live offsets. */
export const SNAPSHOT_CAP = 10_000;
/** How long a snapshot serves next/previous links. */
const SNAPSHOT_TTL = '1 hour';

/**
 * Records the ordered references of every match of a sorted search (up to the cap) so later pages read a fixed
 * list (https://hl7.org/fhir/R4/http.html#paging: links must stay valid while the data changes).
 * @param db - the database.
 * @param sql - the SELECT of `r.resource_type || '/' || r.id AS ref` in order, with a LIMIT placeholder last.
 * @param params - its parameters, without the limit.
 * @returns the token and the number of references kept.
 */
export async function createSnapshot(db: Db, sql: string, params: SqlValue[]): Promise<{ token: string; size: number }> {
  const token = randomUUID();
  const rows = await db.query<{ n: number }>(
    `WITH s AS (${sql}), ins AS (INSERT INTO search_page (token, refs, total) SELECT $${params.length + 2}::uuid, array_agg(ref), count(*) FROM s RETURNING total)
     SELECT total AS n FROM ins`,
    [...params, SNAPSHOT_CAP, token],
  );
  // Old snapshots are cleared as new ones are made; cheap thanks to the index on created_at.
  await db.query(`DELETE FROM search_page WHERE created_at < now() - interval '${SNAPSHOT_TTL}'`);
  return { token, size: rows[0]?.n ?? 0 };
}

/**
 * Reads one page of a snapshot; resources deleted since the snapshot are left out.
 * @param db - the database.
 * @param token - the snapshot token.
 * @param offset - first position.
 * @param count - page size.
 * @param visible - the caller's access condition on `resource r` (a snapshot URL handed to someone else shows them
 *   only what they may see).
 * @returns the page's resources in order, whether more follow, and the snapshot's size.
 */
export async function readSnapshotPage(
  db: Db,
  token: string,
  offset: number,
  count: number,
  visible: (params: SqlParams) => string = () => 'true',
): Promise<{ matches: Resource[]; hasMore: boolean; size: number }> {
  const meta = await db.query<{ total: number }>('SELECT total FROM search_page WHERE token = $1::uuid', [token]);
  if (!meta[0]) throw gone('These search results have expired; repeat the search');
  const params = new SqlParams();
  params.add(token);
  params.add(offset);
  params.add(count);
  const cond = visible(params);
  const rows = await db.query<{ content: string }>(
    `SELECT r.content::text AS content FROM search_page p
       CROSS JOIN LATERAL unnest(p.refs[$2::int + 1 : $2::int + $3::int]) WITH ORDINALITY AS k(ref, pos)
       JOIN resource r ON r.resource_type = split_part(k.ref, '/', 1) AND r.id = split_part(k.ref, '/', 2)
     WHERE p.token = $1::uuid AND NOT r.deleted AND ${cond} ORDER BY k.pos`,
    params.values,
  );
  const size = meta[0].total;
  return { matches: rows.map((r) => JSON.parse(r.content) as Resource), hasMore: offset + count < size, size };
}
