/**
 * Search result snapshots for stable paging: the first page of a search records the ordered ids of every match
 * (up to a cap), and next/previous links read slices of that list, so inserts, updates and deletes made while a
 * client pages do not shift, repeat or skip results. Kept in the database so any app node can serve any page.
 */
export const sql = `
CREATE TABLE search_page (
  token uuid PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  refs text[] NOT NULL,
  total integer NOT NULL
);
CREATE INDEX search_page_created_idx ON search_page (created_at);
`;
