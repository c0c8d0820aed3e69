/** Index rows of one resource, one list per search-parameter table (see migration 001). */
export interface IndexRows {
  string: [code: string, value: string, norm: string][];
  token: [code: string, system: string | null, value: string | null, display: string | null, typeSystem: string | null, typeCode: string | null][];
  date: [code: string, low: string, high: string, narrow: boolean][];
  reference: [code: string, targetType: string | null, targetId: string | null, targetUrl: string | null][];
  number: [code: string, low: number, high: number][];
  quantity: [code: string, low: number, high: number, system: string | null, unit: string | null][];
  uri: [code: string, value: string][];
}

/** @returns an empty set of index rows. */
export function emptyIndexRows(): IndexRows {
  return { string: [], token: [], date: [], reference: [], number: [], quantity: [], uri: [] };
}

/** Columns of each index table after `resource_type, resource_id`, in insert order. */
export const INDEX_COLUMNS: { [K in keyof IndexRows]: { table: string; columns: string[]; types: string[] } } = {
  string: { table: 'sp_string', columns: ['code', 'value', 'norm'], types: ['text', 'text', 'text'] },
  token: { table: 'sp_token', columns: ['code', 'system', 'value', 'display', 'type_system', 'type_code'], types: ['text', 'text', 'text', 'text', 'text', 'text'] },
  date: { table: 'sp_date', columns: ['code', 'low', 'high', 'narrow'], types: ['text', 'timestamptz', 'timestamptz', 'bool'] },
  reference: { table: 'sp_reference', columns: ['code', 'target_type', 'target_id', 'target_url'], types: ['text', 'text', 'text', 'text'] },
  number: { table: 'sp_number', columns: ['code', 'low', 'high'], types: ['text', 'numeric', 'numeric'] },
  quantity: { table: 'sp_quantity', columns: ['code', 'low', 'high', 'system', 'unit'], types: ['text', 'numeric', 'numeric', 'text', 'text'] },
  uri: { table: 'sp_uri', columns: ['code', 'value'], types: ['text', 'text'] },
};
