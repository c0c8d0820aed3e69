import type { Resource } from '@medplum/fhirtypes';
import type { SearchParameterRegistry } from '../fhir/search/search-parameters.ts';
import type { Db } from './db.ts';
import { INDEX_COLUMNS, type IndexRows } from './search/index-rows.ts';
import { stampVersion } from './stamp.ts';
import { WriteBuffer, pendingVersion } from './write-buffer.ts';

/** Options of {@link bulkCreateResources}. */
export interface BulkCreateOptions {
  /**
   * Commit without waiting for the WAL flush (`synchronous_commit = off` for this transaction only): a crash may
   * lose the last batches but never corrupts anything, which suits a reloadable initial load.
   */
  asynchronousCommit?: boolean;
}

/**
 * Creates many new resources at once for an initial load (benchmarks, migrations from another registry): the
 * same rows as {@link Repository.createResource} would store (version 1, the same stamped content, the index rows
 * of the same indexer), written with `COPY` on PostgreSQL, or through the normal set-based write buffer where the
 * driver has no COPY (PGlite). No validation, access check or audit: the caller vouches for the data. Ids must be
 * new; a duplicate fails the whole batch (primary key).
 * @param db - the database (not a transaction: each call is one transaction of its own).
 * @param registry - the search parameters to index with.
 * @param resources - resources with their ids set.
 * @param options - commit mode.
 * @returns the number of resources written.
 */
export async function bulkCreateResources(
  db: Db,
  registry: SearchParameterRegistry,
  resources: Resource[],
  options: BulkCreateOptions = {},
): Promise<number> {
  const versions = resources.map((r) => pendingVersion(stampVersion(r, r.id as string, 1), registry, 'POST', false));
  await db.transaction(async (tx) => {
    if (options.asynchronousCommit) await tx.query('SET LOCAL synchronous_commit TO off');
    if (!tx.copyFrom) {
      const buffer = new WriteBuffer();
      for (const v of versions) buffer.add(v);
      await buffer.flush(tx);
      return;
    }
    let data = '';
    for (const v of versions) {
      data += `${copyField(v.resourceType)}\t${copyField(v.id)}\t1\t${v.lastUpdated}\tf\tPOST\t${copyField(v.content as string)}\n`;
    }
    await tx.copyFrom('COPY resource (resource_type, id, version_id, last_updated, deleted, method, content) FROM STDIN', data);
    for (const [key, spec] of Object.entries(INDEX_COLUMNS) as [keyof IndexRows, (typeof INDEX_COLUMNS)[keyof IndexRows]][]) {
      let rows = '';
      for (const v of versions) {
        const owner = `${copyField(v.resourceType)}\t${copyField(v.id)}`;
        for (const row of v.index[key]) rows += `${owner}\t${(row as unknown[]).map(copyValue).join('\t')}\n`;
      }
      if (rows) await tx.copyFrom(`COPY ${spec.table} (resource_type, resource_id, ${spec.columns.join(', ')}) FROM STDIN`, rows);
    }
  });
  return versions.length;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text field in COPY text format: backslash, tab, newline and carriage return escaped. */
function copyField(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string) : value;
}

/** Any index value in COPY text format; `\N` is NULL, booleans are t/f, numbers as JSON writes them. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return JSON.stringify(value);
  return copyField(String(value));
}
