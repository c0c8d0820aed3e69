import type { SearchParamType } from '../../../fhir/search/search-parameters.ts';
import { dateParam } from './date-param.ts';
import { numberParam, quantityParam } from './number-param.ts';
import { referenceParam } from './reference-param.ts';
import { stringParam } from './string-param.ts';
import { tokenParam } from './token-param.ts';
import type { ParamTypeHandler } from './types.ts';
import { uriParam } from './uri-param.ts';

/** The handler of each indexable search-parameter type. */
export const PARAM_HANDLERS: Partial<Record<SearchParamType, ParamTypeHandler>> = {
  string: stringParam,
  token: tokenParam,
  date: dateParam,
  reference: referenceParam,
  number: numberParam,
  quantity: quantityParam,
  uri: uriParam,
};
