import type { AccessRestriction } from '../../fhir/search/search-request.ts';
import type { SqlParams } from '../sql.ts';
import type { ConditionBuilder } from './conditions.ts';

/** SMART permission whose rule applies. */
export type AccessPerm = 'c' | 'r' | 'u' | 'd' | 's';

/**
 * The SQL condition that limits `resource r` to what the caller may reach, for one known type: the rule's
 * alternatives OR-ed, each an AND of search conditions (DESIGN.md: access control inside the repository query).
 * @param builder - condition builder of the statement.
 * @param restriction - the caller's restriction.
 * @param perm - the permission exercised.
 * @param type - the resource type.
 * @param typeSql - SQL of the type (a parameter, so index scans start from it).
 * @returns the condition (`true` when unrestricted).
 */
export function accessConditionForType(builder: ConditionBuilder, restriction: AccessRestriction, perm: AccessPerm, type: string, typeSql: string): string {
  const rule = restriction.rule(type, perm);
  if (rule === 'all') return 'true';
  if (rule === 'none') return 'false';
  const owner = { type: typeSql, id: 'r.id' };
  return `(${rule.map((alt) => `(${alt.length ? builder.filters(alt, owner).join(' AND ') : 'true'})`).join(' OR ')})`;
}

/**
 * The access condition for rows of several possible types (system search, `_type`, includes).
 * @param builder - condition builder of the statement.
 * @param params - the statement's parameters.
 * @param restriction - the caller's restriction.
 * @param perm - the permission exercised.
 * @param types - the types the rows may have.
 * @returns the condition.
 */
export function accessCondition(builder: ConditionBuilder, params: SqlParams, restriction: AccessRestriction, perm: AccessPerm, types: string[]): string {
  const parts: string[] = [];
  const visible: string[] = [];
  for (const t of types) {
    const rule = restriction.rule(t, perm);
    if (rule === 'none') continue;
    visible.push(t);
    if (rule !== 'all') {
      const ts = `${params.add(t)}::text`;
      parts.push(`(r.resource_type <> ${ts} OR ${accessConditionForType(builder, restriction, perm, t, ts)})`);
    }
  }
  return [`r.resource_type = ANY(${params.add(visible)}::text[])`, ...parts].join(' AND ');
}
