import { badRequest } from '../outcomes.ts';
import type { Prefix, SearchFilter } from './search-request.ts';

const PREFIXES = new Set(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);
/** A FHIR date, dateTime or instant of any precision (https://hl7.org/fhir/R4/datatypes.html#dateTime). */
const DATE_RE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3])(:[0-5]\d(:([0-5]\d|60)(\.\d+)?)?)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?)?)?)?$/;
const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const MODIFIERS: Record<string, string[]> = {
  string: ['exact', 'contains', 'missing'],
  token: ['not', 'text', 'missing', 'of-type'],
  date: ['missing'],
  number: ['missing'],
  quantity: ['missing'],
  uri: ['missing', 'below', 'above'],
  reference: ['missing', 'identifier'],
};

/**
 * Splits a prefixed value (`ge2020-01-01`) into prefix and value (https://hl7.org/fhir/R4/search.html#prefix).
 * @param raw - the value.
 * @returns prefix (default `eq`) and the rest.
 */
export function splitPrefix(raw: string): { prefix: Prefix; value: string } {
  const p = raw.slice(0, 2);
  if (PREFIXES.has(p) && raw.length > 2 && /[\d+-.]/.test(raw[2] ?? '')) {
    return { prefix: p as Prefix, value: raw.slice(2) };
  }
  return { prefix: 'eq', value: raw };
}

/**
 * Rejects malformed values with a 400 that names the parameter; accepts anything well-formed.
 * @param filter - the parsed filter.
 * @param name - the parameter name as written, for the error.
 */
export function validateFilterValues(filter: SearchFilter, name: string): void {
  const { def, modifier } = filter;
  if (modifier) {
    const allowed = MODIFIERS[def.type] ?? ['missing'];
    const isTypeModifier = def.type === 'reference' && /^[A-Z][A-Za-z]+$/.test(modifier);
    if (!allowed.includes(modifier) && !isTypeModifier) {
      throw badRequest(`Modifier ":${modifier}" is not supported on ${def.type} parameter "${filter.code}"`, name);
    }
    if (isTypeModifier && !def.targets.includes(modifier)) {
      throw badRequest(`Parameter "${filter.code}" cannot refer to ${modifier}`, name);
    }
  }
  for (const raw of filter.values) {
    if (modifier === 'missing') {
      if (raw !== 'true' && raw !== 'false') throw badRequest(`:missing takes true or false, got "${raw}"`, name);
      continue;
    }
    if (raw === '') throw badRequest(`Empty value for parameter "${name}"`, name);
    if (def.type === 'date') {
      const { value } = splitPrefix(raw);
      if (!DATE_RE.test(value)) throw badRequest(`Invalid date "${raw}" for parameter "${name}"`, name);
    } else if (def.type === 'number') {
      const { value } = splitPrefix(raw);
      if (!NUMBER_RE.test(value)) throw badRequest(`Invalid number "${raw}" for parameter "${name}"`, name);
    } else if (def.type === 'quantity') {
      const { value } = splitPrefix(raw);
      const num = value.split('|')[0] ?? '';
      if (!NUMBER_RE.test(num)) throw badRequest(`Invalid quantity "${raw}" for parameter "${name}"`, name);
    }
  }
}
