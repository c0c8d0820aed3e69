import { forbidden } from '../fhir/outcomes.ts';
import type { AccessRestriction } from '../fhir/search/search-request.ts';
import type { Db } from './db.ts';
import { accessConditionForType, type AccessPerm } from './search/access.ts';
import { ConditionBuilder } from './search/conditions.ts';
import { SqlParams } from './sql.ts';

/** A resource a write exercises a permission on. */
export interface AccessKey {
  type: string;
  id: string;
  perm: AccessPerm;
}

/**
 * @param access - the caller's restriction.
 * @param keys - the resources and permissions exercised.
 * @returns whether any of them needs more than the caller's rule to decide (a rule other than `all`).
 */
export function probesNeeded(access: AccessRestriction, keys: readonly Pick<AccessKey, 'type' | 'perm'>[]): boolean {
  return keys.some((k) => access.rule(k.type, k.perm) !== 'all');
}

/**
 * Throws 403 for the first resource the caller's rule does not reach (DESIGN.md: access control inside the
 * repository query): one indexed probe of the search tables per resource type and permission, however many
 * resources a unit of work (an HL7 v2 message, a transaction bundle) wrote.
 * @param db - the database or transaction.
 * @param baseUrl - FHIR base URL, for reference conditions.
 * @param access - the caller's restriction.
 * @param keys - type, id and permission exercised of each resource.
 * @param beforeProbe - called before each probe (the repository flushes its buffered writes so the probe sees them).
 */
export async function assertReachable(db: Db, baseUrl: string, access: AccessRestriction, keys: readonly AccessKey[], beforeProbe: () => Promise<void>): Promise<void> {
  const groups = new Map<string, { type: string; perm: AccessPerm; ids: Set<string> }>();
  for (const k of keys) {
    const g = groups.get(`${k.type}|${k.perm}`) ?? { type: k.type, perm: k.perm, ids: new Set<string>() };
    g.ids.add(k.id);
    groups.set(`${k.type}|${k.perm}`, g);
  }
  for (const { type, perm, ids } of groups.values()) {
    const rule = access.rule(type, perm);
    if (rule === 'all') continue;
    const what = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' }[perm];
    const first = ids.values().next().value as string;
    if (rule === 'none') throw forbidden(`You may not ${what} ${type}/${first}`);
    await beforeProbe();
    const params = new SqlParams();
    const builder = new ConditionBuilder(params, baseUrl);
    const typeSql = `${params.add(type)}::text`;
    const cond = accessConditionForType(builder, access, perm, type, typeSql);
    const rows = await db.query<{ id: string }>(`SELECT r.id FROM resource r WHERE r.resource_type = ${typeSql} AND r.id = ANY(${params.add([...ids])}::text[]) AND ${cond}`, params.values);
    const reached = new Set(rows.map((r) => r.id));
    const missing = [...ids].find((id) => !reached.has(id));
    if (missing !== undefined) throw forbidden(`You may not ${what} ${type}/${missing}`);
  }
}
