/**
 * Resources and their versions. `resource` holds the current version of every resource (a deleted one keeps a
 * row with `deleted = true` so reads can answer 410 Gone); `resource_history` holds every earlier version, moved
 * there when a newer one replaces it. History is the union of both, and a resource written once (most
 * immunizations) is stored once.
 * Search values live in one index table per search-parameter type (https://hl7.org/fhir/R4/search.html#ptypes),
 * filled on write, so searches never scan JSON. Each index table has a lookup index (type, code, value…) to find
 * resources by value, and an owner index (type, id, code) for the per-resource probes of EXISTS conditions,
 * sorting and re-indexing.
 */
export const sql = `
CREATE TABLE resource (
  resource_type text NOT NULL,
  id text NOT NULL,
  version_id integer NOT NULL,
  last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  method text NOT NULL DEFAULT 'POST',
  content jsonb,
  PRIMARY KEY (resource_type, id)
);
CREATE INDEX resource_type_updated_idx ON resource (resource_type, last_updated, id);

CREATE TABLE resource_history (
  resource_type text NOT NULL,
  id text NOT NULL,
  version_id integer NOT NULL,
  last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  method text NOT NULL,
  content jsonb,
  PRIMARY KEY (resource_type, id, version_id)
);
CREATE INDEX resource_history_updated_idx ON resource_history (last_updated);
CREATE INDEX resource_history_type_updated_idx ON resource_history (resource_type, last_updated);

CREATE TABLE sp_string (
  resource_type text NOT NULL, resource_id text NOT NULL, code text NOT NULL,
  value text NOT NULL, norm text NOT NULL
);
CREATE INDEX sp_string_lookup_idx ON sp_string (resource_type, code, norm text_pattern_ops);
CREATE INDEX sp_string_owner_idx ON sp_string (resource_type, resource_id, code);

CREATE TABLE sp_token (
  resource_type text NOT NULL, resource_id text NOT NULL, code text NOT NULL,
  system text, value text, display text, type_system text, type_code text
);
CREATE INDEX sp_token_lookup_idx ON sp_token (resource_type, code, value, system);
CREATE INDEX sp_token_owner_idx ON sp_token (resource_type, resource_id, code);

-- narrow: the value spans at most one day (a date, dateTime or instant of day precision or finer). Searches give
-- narrow values a tight range on low, so "date between X and Y" is an index range scan however large the table.
CREATE TABLE sp_date (
  resource_type text NOT NULL, resource_id text NOT NULL, code text NOT NULL,
  low timestamptz NOT NULL, high timestamptz NOT NULL, narrow boolean NOT NULL
);
CREATE INDEX sp_date_lookup_idx ON sp_date (resource_type, code, narrow, low);
CREATE INDEX sp_date_owner_idx ON sp_date (resource_type, resource_id, code);

CREATE TABLE sp_reference (
  resource_type text NOT NULL, resource_id text NOT NULL, code text NOT NULL,
  target_type text, target_id text, target_url text
);
CREATE INDEX sp_reference_lookup_idx ON sp_reference (resource_type, code, target_id);
CREATE INDEX sp_reference_target_idx ON sp_reference (target_type, target_id);
CREATE INDEX sp_reference_owner_idx ON sp_reference (resource_type, resource_id, code);

CREATE TABLE sp_number (
  resource_type text NOT NULL, resource_id text NOT NULL, code text NOT NULL,
  low numeric NOT NULL, high numeric NOT NULL
);
CREATE INDEX sp_number_lookup_idx ON sp_number (resource_type, code, low);
CREATE INDEX sp_number_owner_idx ON sp_number (resource_type, resource_id, code);

CREATE TABLE sp_quantity (
  resource_type text NOT NULL, resource_id text NOT NULL, code text NOT NULL,
  low numeric NOT NULL, high numeric NOT NULL, system text, unit text
);
CREATE INDEX sp_quantity_lookup_idx ON sp_quantity (resource_type, code, low);
CREATE INDEX sp_quantity_owner_idx ON sp_quantity (resource_type, resource_id, code);

CREATE TABLE sp_uri (
  resource_type text NOT NULL, resource_id text NOT NULL, code text NOT NULL, value text NOT NULL
);
CREATE INDEX sp_uri_lookup_idx ON sp_uri (resource_type, code, value);
CREATE INDEX sp_uri_owner_idx ON sp_uri (resource_type, resource_id, code);
`;
