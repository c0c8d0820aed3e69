import type { Resource } from '@medplum/fhirtypes';
import type { IncludeRule, SearchRequest } from '../../fhir/search/search-request.ts';
import type { Db } from '../db.ts';

/** Most resources one search may add through includes; bounds the cost of `:iterate` on dense graphs. */
const MAX_INCLUDED = 5000;
/** Deepest `:iterate` recursion. */
const MAX_DEPTH = 4;

const key = (r: Resource): string => `${r.resourceType}/${r.id}`;

async function forwardIncludes(db: Db, rule: IncludeRule, from: Resource[]): Promise<Resource[]> {
  const ids = from.filter((r) => r.resourceType === rule.sourceType).map((r) => r.id as string);
  if (!ids.length) return [];
  const params: unknown[] = [rule.sourceType, ids];
  let cond = '';
  if (rule.code !== '*') {
    params.push(rule.code);
    cond += ` AND x.code = $${params.length}`;
  }
  if (rule.targetType) {
    params.push(rule.targetType);
    cond += ` AND x.target_type = $${params.length}`;
  }
  const rows = await db.query<{ content: string }>(
    `SELECT r.content::text AS content FROM resource r WHERE NOT r.deleted AND (r.resource_type, r.id) IN (
       SELECT x.target_type, x.target_id FROM sp_reference x
       WHERE x.resource_type = $1 AND x.resource_id = ANY($2::text[]) AND x.target_id IS NOT NULL${cond}) LIMIT ${MAX_INCLUDED}`,
    params as string[],
  );
  return rows.map((r) => JSON.parse(r.content) as Resource);
}

async function reverseIncludes(db: Db, rule: IncludeRule, from: Resource[]): Promise<Resource[]> {
  if (!from.length) return [];
  const params: unknown[] = [rule.sourceType, from.map((r) => r.resourceType), from.map((r) => r.id as string)];
  let cond = '';
  if (rule.code !== '*') {
    params.push(rule.code);
    cond = ` AND x.code = $${params.length}`;
  }
  const rows = await db.query<{ content: string }>(
    `SELECT r.content::text AS content FROM resource r WHERE NOT r.deleted AND r.resource_type = $1 AND r.id IN (
       SELECT x.resource_id FROM sp_reference x JOIN unnest($2::text[], $3::text[]) AS k(t, i) ON x.target_type = k.t AND x.target_id = k.i
       WHERE x.resource_type = $1${cond}) LIMIT ${MAX_INCLUDED}`,
    params as string[],
  );
  return rows.map((r) => JSON.parse(r.content) as Resource);
}

/**
 * Resolves `_include` and `_revinclude` for a page of matches, repeating the `:iterate` rules on what each round
 * added (https://hl7.org/fhir/R4/search.html#revinclude).
 * @param db - the database.
 * @param request - the search with its include rules.
 * @param matches - the page of matches.
 * @returns included resources not already in the page, each once.
 */
export async function readIncludes(db: Db, request: SearchRequest, matches: Resource[]): Promise<Resource[]> {
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
      const found = rev ? await reverseIncludes(db, r, frontier) : await forwardIncludes(db, r, frontier);
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
