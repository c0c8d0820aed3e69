import type { SearchFilter } from '../../fhir/search/search-request.ts';
import { splitPrefix } from '../../fhir/search/validate-values.ts';
import { dateRange, type DateRange } from '../../fhir/search/date-range.ts';
import type { Owner, SqlParams } from '../sql.ts';
import { combinedDateCondition, rangeComparison } from './params/date-param.ts';
import { PARAM_HANDLERS } from './params/index.ts';
import type { ConditionContext } from './params/types.ts';

/** A positive lookup in one index table: rows of `code` satisfying `condition` (given the table alias). */
interface IndexLookup {
  table: string;
  code: string;
  condition: (t: string) => string;
  /** True when the lookup matches few resources whatever the data: a reference, an identifier, a single day. */
  selective: boolean;
}

const DAY_MS = 86_400_000;

/** Whether AND-ed date filters pin the value to at most one day (`birthdate=1999-08-30`, not a year or a window). */
function isSingleDay(filters: SearchFilter[]): boolean {
  return filters.some((f) => f.values.every((raw) => {
    const { prefix, value } = splitPrefix(raw);
    const r = dateRange(value);
    return prefix === 'eq' && !!r && Date.parse(r.high) - Date.parse(r.low) <= DAY_MS;
  }));
}

/** Whether a lookup by this filter finds few resources by its nature (references, identifiers). */
function isSelectiveLookup(f: SearchFilter): boolean {
  return f.def.type === 'reference' || f.modifier === 'identifier' || f.code === 'identifier';
}

/** A filter that matches resources having some index row with a value: no `:not`, `:missing`, chain or `_has`. */
function isPositiveLookup(f: SearchFilter): boolean {
  return !f.chain && !f.has && f.code !== '_id' && f.code !== '_lastUpdated' && f.modifier !== 'not' && f.modifier !== 'missing';
}

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
   * value together, so a date window is a single index range scan. When the search is on one type (`owner.type` a
   * constant) and two or more filters are positive index lookups, those become one join of the index tables on
   * resource_id (see {@link keyFirst}) instead of one EXISTS each.
   * @param filters - AND-ed filters.
   * @param owner - the resource tested.
   * @param lastUpdated - SQL of the owner's last_updated column.
   * @param singleType - SQL of the searched type when there is only one (enables the join).
   * @returns one condition per group.
   */
  filters(filters: SearchFilter[], owner: Owner, lastUpdated?: string, singleType?: string): string[] {
    const groups = new Map<string, SearchFilter[]>();
    const out: string[] = [];
    const lookups: IndexLookup[] = [];
    for (const f of filters) {
      if (f.def.type === 'date' && !f.modifier && !f.chain && !f.has && f.code !== '_lastUpdated') {
        const g = groups.get(f.code) ?? [];
        if (!g.length) groups.set(f.code, g);
        g.push(f);
      } else if (singleType && isPositiveLookup(f)) {
        const handler = f.modifier === 'identifier' ? PARAM_HANDLERS.token : PARAM_HANDLERS[f.def.type];
        const code = f.modifier === 'identifier' ? `${f.code}:identifier` : f.code;
        if (handler) lookups.push({ table: handler.table, code, condition: (t) => handler.condition(f, t, this.ctx), selective: isSelectiveLookup(f) });
      } else {
        out.push(this.filter(f, owner, lastUpdated));
      }
    }
    for (const [code, group] of groups) {
      const narrow = this.narrowOnly.has(`${group[0]?.def.resourceType}.${code}`);
      lookups.push({ table: 'sp_date', code, condition: (t) => combinedDateCondition(group, t, this.ctx, narrow), selective: isSingleDay(group) });
    }
    if (singleType && lookups.length >= 2) {
      out.push(this.keyFirst(lookups, owner, singleType));
      return out;
    }
    for (const l of lookups) {
      const t = this.ctx.alias('t');
      out.push(`EXISTS (SELECT 1 FROM ${l.table} ${t} WHERE ${t}.resource_type = ${owner.type} AND ${t}.resource_id = ${owner.id}
        AND ${t}.code = ${this.params.add(l.code)} AND ${l.condition(t)})`);
    }
    return out;
  }

  /**
   * Several positive lookups as one join of index rows on resource_id, so the database intersects index entries
   * (choosing the most selective as the driver from each table's own statistics) before it reads any resource
   * row. As separate EXISTS semi-joins the planner misjudged their combined selectivity at scale and fetched
   * thousands of resource rows to test the other conditions one by one (issue 3). The ids come back as one array
   * (an InitPlan, computed once), so the resource rows are then read by primary key for those ids only: as an
   * `IN (subquery)` the planner could still walk all resources in id order towards the LIMIT, probing the
   * subquery's result for each (20 s for a vaccine code and a week at 5 million immunizations). Duplicates (a
   * resource with several matching rows) are harmless in `= ANY`.
   * @param lookups - two or more index lookups.
   * @param owner - the resource tested.
   * @param type - SQL of the one searched type.
   * @returns the condition.
   */
  private keyFirst(lookups: IndexLookup[], owner: Owner, type: string): string {
    if (!lookups.some((l) => l.selective)) return this.intersect(lookups, owner, type);
    const aliases = lookups.map(() => this.ctx.alias('k'));
    const first = aliases[0] as string;
    const from = lookups.map((l, i) => {
      const k = aliases[i] as string;
      return i === 0 ? `${l.table} ${k}` : `JOIN ${l.table} ${k} ON ${k}.resource_type = ${type} AND ${k}.resource_id = ${first}.resource_id`;
    });
    const where = lookups.map((l, i) => `${aliases[i]}.code = ${this.params.add(l.code)} AND ${l.condition(aliases[i] as string)}`);
    return `${owner.id} = ANY(ARRAY(SELECT ${first}.resource_id FROM ${from.join(' ')} WHERE ${first}.resource_type = ${type} AND ${where.join(' AND ')}))`;
  }

  /**
   * Lookups none of which is selective by nature (a phonetic key and a birth year, a vaccine code and a week) as
   * an INTERSECT: each is read whole from its index (index-only) and the sets are hashed, a cost bounded by their
   * sizes. Left to choose, the planner, whose estimates for a value range within one code of a table that mixes
   * all codes are poor, often probed one set's thousands of members one by one instead: 5,000-18,000 random
   * probes, 100-450 ms at a million patients (issue 3).
   * @param lookups - two or more index lookups.
   * @param owner - the resource tested.
   * @param type - SQL of the one searched type.
   * @returns the condition.
   */
  private intersect(lookups: IndexLookup[], owner: Owner, type: string): string {
    const parts = lookups.map((l) => {
      const k = this.ctx.alias('k');
      return `SELECT ${k}.resource_id FROM ${l.table} ${k} WHERE ${k}.resource_type = ${type} AND ${k}.code = ${this.params.add(l.code)} AND ${l.condition(k)}`;
    });
    return `${owner.id} = ANY(ARRAY(${parts.join(' INTERSECT ')}))`;
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
