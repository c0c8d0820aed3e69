import type { Resource } from '@medplum/fhirtypes';
import type { SearchParameterRegistry } from '../fhir/search/search-parameters.ts';
import type { Db } from './db.ts';
import { extractIndexRows } from './search/indexer.ts';
import { replaceIndexRows } from './write-buffer.ts';

/**
 * Rebuilds the search index of stored resources from the current SearchParameters, for when definitions change
 * (new `conformance/SearchParameter-*.json`, a new release). Walks resources by key in batches, each batch in its
 * own transaction, so it can run on a live database.
 * @param db - the database.
 * @param registry - the search parameters to index with.
 * @param options - restrict to some types; batch size; progress callback.
 * @returns the number of resources reindexed.
 */
export async function reindexResources(
  db: Db,
  registry: SearchParameterRegistry,
  options: { types?: string[]; batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let lastType = '';
  let lastId = '';
  let done = 0;
  for (;;) {
    const rows = await db.query<{ resource_type: string; id: string; content: string }>(
      `SELECT resource_type, id, content::text AS content FROM resource
       WHERE NOT deleted AND (resource_type, id) > ($1, $2) ${options.types ? 'AND resource_type = ANY($4::text[])' : ''}
       ORDER BY resource_type, id LIMIT $3`,
      options.types ? [lastType, lastId, batchSize, options.types] : [lastType, lastId, batchSize],
    );
    if (!rows.length) return done;
    const versions = rows.map((r) => {
      const resource = JSON.parse(r.content) as Resource;
      return { resourceType: r.resource_type, id: r.id, index: extractIndexRows(resource, registry) };
    });
    await replaceIndexRows(db, versions);
    done += rows.length;
    options.onProgress?.(done);
    const last = rows[rows.length - 1] as { resource_type: string; id: string };
    lastType = last.resource_type;
    lastId = last.id;
  }
}
