import type { SearchFilter } from '../../fhir/search/search-request.ts';
import { splitPrefix } from '../../fhir/search/validate-values.ts';
import { dateRange, type DateRange } from '../../fhir/search/date-range.ts';
import type { Owner, SqlParams } from '../sql.ts';
import { combinedDateCondition, rangeComparison } from './params/date-param.ts';
import { PARAM_HANDLERS } from './params/index.ts';
import type { ConditionContext } from './params/types.ts';

/** Builds the SQL condition of search filters against a resource (the "owner" columns). */
export class ConditionBuilder {
  private n = 0;
  readonly ctx: ConditionContext;

  /**
   * @param params - the statement's parameter collector.
   * @param baseUrl - FHIR base URL of this server.
   * @param narrowOnly - `Type.code` of date parameters known to hold only narrow values.
   */
  constructor(
    readonly params: SqlParams,
    baseUrl: string,
    private readonly narrowOnly: Set<string> = new Set(),
  ) {
    this.ctx = {
      params,
      baseUrl,
      nested: (filter, owner) => this.filter(filter, owner),
      alias: (prefix) => `${prefix}${++this.n}`,
    };
  }

  /**
   * The condition of one filter (https://hl7.org/fhir/R4/search.html), including `:missing`, `:not`, chains and `_has`.
   * @param filter - the filter.
   * @param owner - SQL of the type and id of the resource tested.
   * @param lastUpdated - SQL of the owner's last_updated column when it is directly available.
   * @returns the SQL condition.
   */
  filter(filter: SearchFilter, owner: Owner, lastUpdated?: string): string {
    const p = this.params;
    if (filter.has) {
      const h = this.ctx.alias('h');
      const { sourceType, referenceCode, filter: inner } = filter.has;
      const src = p.add(sourceType);
      return `EXISTS (SELECT 1 FROM sp_reference ${h} WHERE ${h}.resource_type = ${src} AND ${h}.code = ${p.add(referenceCode)}
        AND ${h}.target_type = ${owner.type} AND ${h}.target_id = ${owner.id}
        AND ${this.filter(inner, { type: src, id: `${h}.resource_id` })})`;
    }
    if (filter.chain) {
      const c = this.ctx.alias('c');
      const { targetType, filter: inner } = filter.chain;
      const target = p.add(targetType);
      return `EXISTS (SELECT 1 FROM sp_reference ${c} WHERE ${c}.resource_type = ${owner.type} AND ${c}.resource_id = ${owner.id}
        AND ${c}.code = ${p.add(filter.code)} AND ${c}.target_type = ${target}
        AND ${this.filter(inner, { type: target, id: `${c}.target_id` })})`;
    }
    if (filter.code === '_id') return this.idCondition(filter, owner);
    if (filter.code === '_lastUpdated') return this.lastUpdatedCondition(filter, owner, lastUpdated);
    const handler = filter.modifier === 'identifier' ? PARAM_HANDLERS.token : PARAM_HANDLERS[filter.def.type];
    if (!handler) return 'true';
    const code = filter.modifier === 'identifier' ? `${filter.code}:identifier` : filter.code;
    const t = this.ctx.alias('t');
    const join = `${t}.resource_type = ${owner.type} AND ${t}.resource_id = ${owner.id} AND ${t}.code = ${p.add(code)}`;
    if (filter.modifier === 'missing') {
      const exists = `EXISTS (SELECT 1 FROM ${handler.table} ${t} WHERE ${join})`;
      return filter.values[0] === 'true' ? `NOT ${exists}` : exists;
    }
    const inner: typeof filter = filter.modifier === 'not' ? { ...filter, modifier: undefined } : filter;
    const exists = `EXISTS (SELECT 1 FROM ${handler.table} ${t} WHERE ${join} AND ${handler.condition(inner, t, this.ctx)})`;
    return filter.modifier === 'not' ? `NOT ${exists}` : exists;
  }

  /**
   * The conditions of all filters, AND-ed: plain date filters on the same parameter are tested against one stored
   * value together, so a date window is a single index range scan.
   * @param filters - AND-ed filters.
   * @param owner - the resource tested.
   * @param lastUpdated - SQL of the owner's last_updated column.
   * @returns one condition per group.
   */
  filters(filters: SearchFilter[], owner: Owner, lastUpdated?: string): string[] {
    const groups = new Map<string, SearchFilter[]>();
    const out: string[] = [];
    for (const f of filters) {
      if (f.def.type === 'date' && !f.modifier && !f.chain && !f.has && f.code !== '_lastUpdated') {
        const g = groups.get(f.code) ?? [];
        if (!g.length) groups.set(f.code, g);
        g.push(f);
      } else {
        out.push(this.filter(f, owner, lastUpdated));
      }
    }
    for (const [code, group] of groups) {
      const t = this.ctx.alias('t');
      out.push(`EXISTS (SELECT 1 FROM sp_date ${t} WHERE ${t}.resource_type = ${owner.type} AND ${t}.resource_id = ${owner.id}
        AND ${t}.code = ${this.params.add(code)} AND ${combinedDateCondition(group, t, this.ctx, this.narrowOnly.has(`${group[0]?.def.resourceType}.${code}`))})`);
    }
    return out;
  }

  private idCondition(filter: SearchFilter, owner: Owner): string {
    const cond = `${owner.id} = ANY(${this.params.add(filter.values)}::text[])`;
    if (filter.modifier === 'not') return `NOT (${cond})`;
    return filter.modifier === 'missing' ? (filter.values[0] === 'true' ? 'false' : 'true') : cond;
  }

  private lastUpdatedCondition(filter: SearchFilter, owner: Owner, lastUpdated?: string): string {
    const build = (col: string): string => {
      const ors = filter.values.map((raw) => {
        const { prefix, value } = splitPrefix(raw);
        return rangeComparison(prefix, col, `(${col} + interval '1 millisecond')`, dateRange(value) as DateRange, this.params);
      });
      return `(${ors.join(' OR ')})`;
    };
    if (lastUpdated) return build(lastUpdated);
    const x = this.ctx.alias('x');
    return `EXISTS (SELECT 1 FROM resource ${x} WHERE ${x}.resource_type = ${owner.type} AND ${x}.id = ${owner.id} AND ${build(`${x}.last_updated`)})`;
  }
}
