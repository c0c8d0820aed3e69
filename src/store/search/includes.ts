import type { Resource } from '@medplum/fhirtypes';
import type { IncludeRule, SearchRequest } from '../../fhir/search/search-request.ts';
import type { Db } from '../db.ts';
import { SqlParams } from '../sql.ts';

/** The caller's access condition on `resource r` for rows of the given types, its parameters added to `params`. */
export type Visibility = (params: SqlParams, types: string[]) => string;

/** Most resources one search may add through includes; bounds the cost of `:iterate` on dense graphs. */
const MAX_INCLUDED = 5000;
/** Deepest `:iterate` recursion. */
const MAX_DEPTH = 4;

const key = (r: Resource): string => `${r.resourceType}/${r.id}`;

async function forwardIncludes(db: Db, rule: IncludeRule, from: Resource[], visible: Visibility, types: string[]): Promise<Resource[]> {
  const ids = from.filter((r) => r.resourceType === rule.sourceType).map((r) => r.id as string);
  if (!ids.length) return [];
  const params = new SqlParams();
  let cond = '';
  const src = params.add(rule.sourceType);
  const idList = params.add(ids);
  if (rule.code !== '*') cond += ` AND x.code = ${params.add(rule.code)}`;
  if (rule.targetType) cond += ` AND x.target_type = ${params.add(rule.targetType)}`;
  const access = visible(params, rule.targetType ? [rule.targetType] : types);
  const rows = await db.query<{ content: string }>(
    `SELECT r.content::text AS content FROM resource r WHERE NOT r.deleted AND (r.resource_type, r.id) IN (
       SELECT x.target_type, x.target_id FROM sp_reference x
       WHERE x.resource_type = ${src} AND x.resource_id = ANY(${idList}::text[]) AND x.target_id IS NOT NULL${cond}) AND ${access} LIMIT ${MAX_INCLUDED}`,
    params.values,
  );
  return rows.map((r) => JSON.parse(r.content) as Resource);
}

async function reverseIncludes(db: Db, rule: IncludeRule, from: Resource[], visible: Visibility): Promise<Resource[]> {
  if (!from.length) return [];
  const params = new SqlParams();
  const src = params.add(rule.sourceType);
  const ts = params.add(from.map((r) => r.resourceType));
  const is = params.add(from.map((r) => r.id as string));
  const cond = rule.code !== '*' ? ` AND x.code = ${params.add(rule.code)}` : '';
  const access = visible(params, [rule.sourceType]);
  const rows = await db.query<{ content: string }>(
    `SELECT r.content::text AS content FROM resource r WHERE NOT r.deleted AND r.resource_type = ${src} AND r.id IN (
       SELECT x.resource_id FROM sp_reference x JOIN unnest(${ts}::text[], ${is}::text[]) AS k(t, i) ON x.target_type = k.t AND x.target_id = k.i
       WHERE x.resource_type = ${src}${cond}) AND ${access} LIMIT ${MAX_INCLUDED}`,
    params.values,
  );
  return rows.map((r) => JSON.parse(r.content) as Resource);
}

/**
 * Resolves `_include` and `_revinclude` for a page of matches, repeating the `:iterate` rules on what each round
 * added (https://hl7.org/fhir/R4/search.html#revinclude).
 * @param db - the database.
 * @param request - the search with its include rules.
 * @param matches - the page of matches.
 * @param visible - the caller's access condition: included resources obey it like matches.
 * @param types - every served type (targets of `*` includes).
 * @returns included resources not already in the page, each once.
 */
export async function readIncludes(db: Db, request: SearchRequest, matches: Resource[], visible: Visibility = () => 'true', types: string[] = []): Promise<Resource[]> {
  if (!request.include.length && !request.revinclude.length) return [];
  const seen = new Set(matches.map(key));
  const included: Resource[] = [];
  let frontier = matches;
  for (let depth = 0; depth < MAX_DEPTH && frontier.length && included.length < MAX_INCLUDED; depth++) {
    const next: Resource[] = [];
    const rules = [
      ...request.include.filter((r) => depth === 0 || r.iterate).map((r) => ({ r, rev: false })),
      ...request.revinclude.filter((r) => depth === 0 || r.iterate).map((r) => ({ r, rev: true })),
    ];
    if (!rules.length) break;
    for (const { r, rev } of rules) {
      const found = rev ? await reverseIncludes(db, r, frontier, visible) : await forwardIncludes(db, r, frontier, visible, types);
      for (const res of found) {
        if (seen.has(key(res))) continue;
        seen.add(key(res));
        included.push(res);
        next.push(res);
      }
    }
    frontier = next;
  }
  return included;
}
