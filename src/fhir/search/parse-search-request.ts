import { badRequest } from '../outcomes.ts';
import type { SearchParameterRegistry, SearchParamDef } from './search-parameters.ts';
import type { IncludeRule, SearchFilter, SearchRequest, SortRule, SummaryMode } from './search-request.ts';
import { validateFilterValues } from './validate-values.ts';

/** Options of the search parser. */
export interface ParseSearchOptions {
  /** `Prefer: handling=strict`: unknown parameters are an error instead of being ignored. */
  strict?: boolean;
  defaultCount?: number;
  maxCount?: number;
}

/** Parameters that control results rather than filter them, or that the HTTP layer handles. */
const RESULT_PARAMS = new Set(['_count', '_offset', '_cursor', '_page', '_sort', '_total', '_summary', '_elements', '_include', '_revinclude', '_format', '_pretty', '_type', '_contained', '_containedType']);
const SUMMARY_MODES = new Set(['true', 'text', 'data', 'count', 'false']);

/**
 * Splits a parameter value on unescaped commas and removes the escapes (https://hl7.org/fhir/R4/search.html#escaping).
 * @param raw - the value as received.
 * @returns the OR-ed values.
 */
export function splitValues(raw: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1];
      // Keep `\|` escaped: token parsing splits on unescaped `|` later.
      cur += n === '|' ? '\\|' : n;
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

function parseIntParam(name: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw badRequest(`Parameter ${name} must be a non-negative integer, got "${raw}"`, name);
  return Number(raw);
}

function lookup(registry: SearchParameterRegistry, types: string[], code: string): SearchParamDef | undefined {
  for (const t of types) {
    const def = registry.get(t, code);
    if (def) return def;
  }
  return undefined;
}

/**
 * Parses one filter parameter, following chains (`subject:Patient.name`) and `_has` recursively
 * (https://hl7.org/fhir/R4/search.html#chaining, #has).
 * @returns the filter, or undefined when the parameter is unknown.
 */
function parseFilter(registry: SearchParameterRegistry, types: string[], name: string, values: string[]): SearchFilter | undefined {
  if (name.startsWith('_has:')) {
    const [, sourceType, referenceCode, ...rest] = name.split(':');
    if (!sourceType || !referenceCode || rest.length === 0) throw badRequest(`Malformed _has parameter "${name}"`, name);
    const inner = parseFilter(registry, [sourceType], rest.join(':'), values);
    const refDef = registry.get(sourceType, referenceCode);
    if (!inner || !refDef || refDef.type !== 'reference') throw badRequest(`Unknown parameter in "${name}"`, name);
    return { code: '_has', def: refDef, values: [], has: { sourceType, referenceCode, filter: inner } };
  }
  const dot = name.indexOf('.');
  if (dot > 0) {
    const head = name.slice(0, dot);
    const [code, typeModifier] = head.split(':') as [string, string | undefined];
    const def = lookup(registry, types, code);
    if (!def || def.type !== 'reference') return undefined;
    const targets = typeModifier ? [typeModifier] : def.targets;
    if (typeModifier && !def.targets.includes(typeModifier)) throw badRequest(`${code} cannot refer to ${typeModifier}`, name);
    const restName = name.slice(dot + 1);
    const first = restName.split(/[.:]/)[0] ?? '';
    const candidates = first === '_has' ? targets : targets.filter((t) => registry.get(t, first) !== undefined);
    if (candidates.length === 0) throw badRequest(`Unknown chained parameter "${name}"`, name);
    if (candidates.length > 1) throw badRequest(`Chained parameter "${name}" is ambiguous: add a type, e.g. ${code}:${candidates[0]}.${restName}`, name);
    const targetType = candidates[0] as string;
    const inner = parseFilter(registry, [targetType], restName, values);
    if (!inner) throw badRequest(`Unknown chained parameter "${name}"`, name);
    return { code, def, values: [], chain: { targetType, filter: inner } };
  }
  const [code, modifier] = name.split(':') as [string, string | undefined];
  const def = lookup(registry, types, code);
  if (!def || def.type === 'composite' || (def.type === 'special' && code !== '_id')) return undefined;
  const filter: SearchFilter = { code, def, values, ...(modifier ? { modifier } : {}) };
  validateFilterValues(filter, name);
  return filter;
}

function parseSort(registry: SearchParameterRegistry, types: string[], raw: string): SortRule[] {
  return raw.split(',').filter(Boolean).map((item) => {
    const descending = item.startsWith('-');
    const code = descending ? item.slice(1) : item;
    const def = lookup(registry, types, code);
    if (!def || def.type === 'composite' || def.type === 'special') throw badRequest(`Unknown sort parameter "${code}"`, '_sort');
    return { def, descending };
  });
}

function parseInclude(registry: SearchParameterRegistry, name: string, raw: string, rev: boolean): IncludeRule {
  const [sourceType, code, targetType] = raw.split(':');
  const iterate = name.endsWith(':iterate') || name.endsWith(':recurse');
  if (!sourceType || !code) throw badRequest(`Malformed ${name} value "${raw}": expected Type:parameter[:targetType]`, name);
  if (code !== '*') {
    const def = registry.get(sourceType, code);
    if (!def || def.type !== 'reference') throw badRequest(`${name}: ${sourceType} has no reference parameter "${code}"`, name);
    if (targetType && !def.targets.includes(targetType)) throw badRequest(`${name}: ${sourceType}.${code} cannot refer to ${targetType}`, name);
  }
  void rev;
  return { sourceType, code, iterate, ...(targetType ? { targetType } : {}) };
}

/**
 * Parses and validates the query of a FHIR search (https://hl7.org/fhir/R4/search.html). Unknown parameters are
 * ignored and reported, or rejected with 400 under `Prefer: handling=strict`; malformed values are always a 400
 * naming the parameter.
 * @param registry - the search parameters of the served types.
 * @param resourceTypes - the types searched.
 * @param params - query parameters in order, repeated names kept.
 * @param options - strictness and page-size limits.
 * @returns the search request.
 */
export function parseSearchRequest(
  registry: SearchParameterRegistry,
  resourceTypes: string[],
  params: [string, string][],
  options: ParseSearchOptions = {},
): SearchRequest {
  const maxCount = options.maxCount ?? 1000;
  const req: SearchRequest = {
    resourceTypes,
    filters: [],
    sort: [],
    count: options.defaultCount ?? 20,
    offset: 0,
    total: 'none',
    include: [],
    revinclude: [],
    ignored: [],
    applied: [],
  };
  const typeParam = params.find(([k]) => k === '_type');
  if (typeParam) {
    req.resourceTypes = typeParam[1].split(',').filter(Boolean);
    req.applied.push(['_type', typeParam[1]]);
  }
  for (const [name, raw] of params) {
    const base = name.split(':')[0] as string;
    if (RESULT_PARAMS.has(base)) {
      switch (base) {
        case '_count':
          req.count = Math.min(parseIntParam(name, raw), maxCount);
          break;
        case '_offset':
          req.offset = parseIntParam(name, raw);
          break;
        case '_cursor': {
          const m = /^(after|before):([A-Za-z0-9\-.]{1,64})$/.exec(raw);
          if (!m) throw badRequest(`Malformed _cursor "${raw}"`, '_cursor');
          req.cursor = { direction: m[1] as 'after' | 'before', id: m[2] as string };
          break;
        }
        case '_page':
          if (!/^[0-9a-f-]{36}$/.test(raw)) throw badRequest(`Malformed _page "${raw}"`, '_page');
          req.pageToken = raw;
          break;
        case '_sort':
          req.sort = parseSort(registry, req.resourceTypes, raw);
          break;
        case '_total':
          if (!['none', 'estimate', 'accurate'].includes(raw)) throw badRequest(`_total must be none, estimate or accurate`, '_total');
          req.total = raw as SearchRequest['total'];
          break;
        case '_summary':
          if (!SUMMARY_MODES.has(raw)) throw badRequest(`_summary must be one of true, text, data, count, false`, '_summary');
          req.summary = raw as SummaryMode;
          break;
        case '_elements':
          req.elements = raw.split(',').map((s) => s.trim()).filter(Boolean);
          break;
        case '_include':
          req.include.push(parseInclude(registry, name, raw, false));
          break;
        case '_revinclude':
          req.revinclude.push(parseInclude(registry, name, raw, true));
          break;
        default:
          continue; // _format, _pretty, _type: handled elsewhere
      }
      req.applied.push([name, raw]);
      continue;
    }
    const filter = parseFilter(registry, req.resourceTypes.length ? req.resourceTypes : [], name, splitValues(raw));
    if (!filter) {
      if (options.strict) throw badRequest(`Unknown search parameter "${name}"`, name);
      req.ignored.push(name);
      continue;
    }
    req.filters.push(filter);
    req.applied.push([name, raw]);
  }
  return req;
}
