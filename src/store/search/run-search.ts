import type { Resource } from '@medplum/fhirtypes';
import type { AccessRestriction, SearchRequest, SortRule } from '../../fhir/search/search-request.ts';
import { accessCondition, accessConditionForType } from './access.ts';
import type { Db } from '../db.ts';
import type { StoreContext } from '../repository.ts';
import { SqlParams } from '../sql.ts';
import { ConditionBuilder } from './conditions.ts';
import { readIncludes } from './includes.ts';
import { createSnapshot, readSnapshotPage } from './paging.ts';
import { PARAM_HANDLERS } from './params/index.ts';

/** What a search found. */
export interface SearchResult {
  /** The page of matches, in order. */
  matches: Resource[];
  /** Resources added by `_include` / `_revinclude`. */
  included: Resource[];
  /** Total matches, when asked for. */
  total?: number;
  /** True when more matches follow this page. */
  hasMore: boolean;
  /** How the next and previous pages are reached. */
  paging: Paging;
}

/**
 * Stable paging (https://hl7.org/fhir/R4/http.html#paging): the default order pages by keyset on the id; a sorted
 * search pages through a snapshot of its results; a client-chosen `_offset` without either pages live.
 */
export type Paging =
  | { kind: 'cursor'; firstId?: string; lastId?: string; hasPrevious: boolean; hasNext: boolean }
  | { kind: 'snapshot'; token: string; offset: number; size: number }
  | { kind: 'offset' };

function sortExpression(rule: SortRule, params: SqlParams): string {
  const { def, descending } = rule;
  const dir = descending ? 'DESC' : 'ASC';
  if (def.code === '_id') return `r.id ${dir}`;
  if (def.code === '_lastUpdated') return `r.last_updated ${dir}`;
  const handler = PARAM_HANDLERS[def.type];
  if (!handler) return 'r.id';
  const col: Record<string, string> = {
    sp_string: 'norm',
    sp_token: 'value',
    sp_date: descending ? 'high' : 'low',
    sp_reference: 'target_id',
    sp_number: 'low',
    sp_quantity: 'low',
    sp_uri: 'value',
  };
  const agg = descending ? 'max' : 'min';
  return `(SELECT ${agg}(s.${col[handler.table]}) FROM ${handler.table} s WHERE s.resource_type = r.resource_type AND s.resource_id = r.id AND s.code = ${params.add(def.code)}) ${dir} NULLS LAST`;
}

/** The access condition on `resource r` for rows of the given types (`true` without a restriction). */
function visibility(ctx: StoreContext, params: SqlParams, access: AccessRestriction | undefined, types: string[]): string {
  if (!access) return 'true';
  return accessCondition(new ConditionBuilder(params, ctx.baseUrl), params, access, 'r', types);
}

/**
 * Builds the WHERE clause of a search over `resource r`.
 * @param ctx - store context.
 * @param request - the search.
 * @param params - parameter collector.
 * @param narrowOnly - date parameters known to hold only narrow values (see findNarrowOnly).
 * @param access - the caller's access restriction, AND-ed into the condition.
 * @returns the SQL condition.
 */
export function buildWhere(ctx: StoreContext, request: SearchRequest, params: SqlParams, narrowOnly?: Set<string>, access?: AccessRestriction): string {
  const builder = new ConditionBuilder(params, ctx.baseUrl, narrowOnly);
  // With one type, conditions name it as a constant so index scans can start from (resource_type, code, value).
  const single = request.resourceTypes.length === 1 ? `${params.add(request.resourceTypes[0] as string)}::text` : undefined;
  const owner = { type: single ?? 'r.resource_type', id: 'r.id' };
  const where = [single ? `r.resource_type = ${single}` : `r.resource_type = ANY(${params.add(request.resourceTypes)}::text[])`, 'NOT r.deleted'];
  if (request.compartment) {
    const { type, id, codes } = request.compartment;
    where.push(`EXISTS (SELECT 1 FROM sp_reference cp WHERE cp.resource_type = ${owner.type} AND cp.resource_id = r.id
      AND cp.code = ANY(${params.add(codes)}::text[]) AND cp.target_type = ${params.add(type)} AND cp.target_id = ${params.add(id)})`);
  }
  where.push(...builder.filters(request.filters, owner, 'r.last_updated', single));
  if (access) where.push(single ? accessConditionForType(builder, access, 's', request.resourceTypes[0] as string, single) : accessCondition(builder, params, access, 's', request.resourceTypes));
  return where.join(' AND ');
}

/**
 * Which date parameters of a single-type search hold no value wider than a day: one index probe each. Their
 * conditions can then be a plain range scan (see combinedDateCondition).
 * @param db - the database.
 * @param request - the search.
 * @returns `Type.code` of those parameters.
 */
export async function findNarrowOnly(db: Db, request: SearchRequest): Promise<Set<string>> {
  const out = new Set<string>();
  if (request.resourceTypes.length !== 1) return out;
  const type = request.resourceTypes[0] as string;
  const codes = [...new Set(request.filters.filter((f) => f.def.type === 'date' && !f.modifier && !f.chain && !f.has && f.code !== '_lastUpdated').map((f) => f.code))];
  for (const code of codes) {
    const rows = await db.query<{ wide: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM sp_date WHERE resource_type = $1 AND code = $2 AND NOT narrow) AS wide',
      [type, code],
      { prepareAs: 'any-wide-date' },
    );
    if (!rows[0]?.wide) out.add(`${type}.${code}`);
  }
  return out;
}

/**
 * The EXPLAIN ANALYZE of a search's first-page statement (for benchmarks and diagnosing slow searches).
 * @param db - the database.
 * @param ctx - store context.
 * @param request - the parsed search.
 * @returns the plan text.
 */
export async function explainSearch(db: Db, ctx: StoreContext, request: SearchRequest): Promise<string> {
  const params = new SqlParams();
  const where = buildWhere(ctx, request, params, await findNarrowOnly(db, request));
  const order = [...request.sort.map((s) => sortExpression(s, params)), 'r.id ASC'].join(', ');
  const rows = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) SELECT r.content::text AS content FROM resource r WHERE ${where} ORDER BY ${order} LIMIT ${params.add(request.count + 1)}`,
    params.values,
  );
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

/**
 * Runs a search: one statement for the page (one row more than asked, to know whether a next page exists), one for
 * the total when requested, then the includes.
 * @param db - the database.
 * @param ctx - store context.
 * @param request - the parsed search.
 * @param access - the caller's access restriction (matches, includes and snapshot pages all obey it).
 * @returns the result.
 */
export async function runSearch(db: Db, ctx: StoreContext, request: SearchRequest, access?: AccessRestriction): Promise<SearchResult> {
  const params = new SqlParams();
  const where = buildWhere(ctx, request, params, await findNarrowOnly(db, request), access);
  let total: number | undefined;
  if (request.total === 'accurate' || request.summary === 'count') {
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource r WHERE ${where}`, params.values);
    total = rows[0]?.n ?? 0;
  } else if (request.total === 'estimate') {
    const plan = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT 1 FROM resource r WHERE ${where}`, params.values);
    const doc = plan[0]?.['QUERY PLAN'];
    const parsed = (typeof doc === 'string' ? JSON.parse(doc) : doc) as { Plan: { 'Plan Rows': number } }[];
    total = Math.round(parsed[0]?.Plan['Plan Rows'] ?? 0);
  }
  if (request.summary === 'count' || request.count === 0) {
    return { matches: [], included: [], total, hasMore: false, paging: { kind: 'offset' } };
  }
  if (request.pageToken) {
    const page = await readSnapshotPage(db, request.pageToken, request.offset, request.count, (p) => visibility(ctx, p, access, request.resourceTypes));
    const included = await readIncludes(db, request, page.matches, (p, types) => visibility(ctx, p, access, types), ctx.searchParameters.types());
    const paging: Paging = { kind: 'snapshot', token: request.pageToken, offset: request.offset, size: page.size };
    return { matches: page.matches, included, total: total ?? (request.total !== 'none' ? page.size : undefined), hasMore: page.hasMore, paging };
  }
  const sorted = request.sort.length > 0;
  let cond = where;
  let order = [...request.sort.map((s) => sortExpression(s, params)), 'r.id ASC'].join(', ');
  const backwards = !sorted && request.cursor?.direction === 'before';
  if (!sorted && request.cursor) {
    cond += ` AND r.id ${backwards ? '<' : '>'} ${params.add(request.cursor.id)}`;
    if (backwards) order = 'r.id DESC';
  }
  const offset = sorted || !request.cursor ? request.offset : 0;
  const limit = params.add(request.count + 1);
  const rows = await db.query<{ content: string }>(
    `SELECT r.content::text AS content FROM resource r WHERE ${cond} ORDER BY ${order} LIMIT ${limit} OFFSET ${params.add(offset)}`,
    params.values,
  );
  const more = rows.length > request.count;
  const page = rows.slice(0, request.count);
  if (backwards) page.reverse();
  const matches = page.map((r) => JSON.parse(r.content) as Resource);
  let paging: Paging = { kind: 'offset' };
  if (!sorted && request.offset === 0) {
    paging = {
      kind: 'cursor',
      firstId: matches[0]?.id,
      lastId: matches.at(-1)?.id,
      hasPrevious: backwards ? more : !!request.cursor,
      hasNext: backwards ? true : more,
    };
  } else if (sorted && request.offset === 0 && more) {
    // Page 1 of a sorted search with more to come: snapshot the ordered matches for the next links.
    const snapParams = params.values.slice(0, -2);
    const snap = await createSnapshot(db, `SELECT r.resource_type || '/' || r.id AS ref FROM resource r WHERE ${where} ORDER BY ${order} LIMIT $${snapParams.length + 1}`, snapParams);
    paging = { kind: 'snapshot', token: snap.token, offset: 0, size: snap.size };
  }
  const hasMore = paging.kind === 'cursor' ? paging.hasNext : more;
  const included = await readIncludes(db, request, matches, (p, types) => visibility(ctx, p, access, types), ctx.searchParameters.types());
  return { matches, included, total, hasMore, paging };
}
