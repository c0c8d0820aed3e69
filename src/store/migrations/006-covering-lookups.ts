/**
 * Covering indexes for the search tables (issue 3, search at state scale). The lookup indexes carry the owning
 * resource_id (and, for dates, the upper bound `high`; for references, `target_type`), so finding the resources
 * that hold a value is an index-only scan. The owner indexes carry the values, so probing a candidate resource for
 * a second condition (its vaccine code, its phonetic key, its birth date) is index-only too. A search that
 * intersects two lookups (name and birth date, vaccine code and date; see ConditionBuilder.keyFirst) then reads
 * index pages only, instead of one heap page per index row, which at a million patients did not stay cached.
 * Same key columns as migration 001, so every query that used them still can.
 */
export const sql = `
DROP INDEX sp_string_lookup_idx;
CREATE INDEX sp_string_lookup_idx ON sp_string (resource_type, code, norm text_pattern_ops) INCLUDE (resource_id);
DROP INDEX sp_string_owner_idx;
CREATE INDEX sp_string_owner_idx ON sp_string (resource_type, resource_id, code) INCLUDE (norm);
DROP INDEX sp_token_lookup_idx;
CREATE INDEX sp_token_lookup_idx ON sp_token (resource_type, code, value, system) INCLUDE (resource_id);
DROP INDEX sp_token_owner_idx;
CREATE INDEX sp_token_owner_idx ON sp_token (resource_type, resource_id, code) INCLUDE (system, value);
DROP INDEX sp_date_lookup_idx;
CREATE INDEX sp_date_lookup_idx ON sp_date (resource_type, code, narrow, low) INCLUDE (high, resource_id);
DROP INDEX sp_date_owner_idx;
CREATE INDEX sp_date_owner_idx ON sp_date (resource_type, resource_id, code) INCLUDE (narrow, low, high);
DROP INDEX sp_reference_lookup_idx;
CREATE INDEX sp_reference_lookup_idx ON sp_reference (resource_type, code, target_id) INCLUDE (target_type, resource_id);
`;
