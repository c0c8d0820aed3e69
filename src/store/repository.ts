import type { Resource } from '@medplum/fhirtypes';
import { newResourceId } from '../fhir/resource-id.ts';
import { badRequest, conflict, forbidden, gone, notFound, preconditionFailed } from '../fhir/outcomes.ts';
import type { SearchParameterRegistry } from '../fhir/search/search-parameters.ts';
import type { AccessRestriction, SearchRequest } from '../fhir/search/search-request.ts';
import type { AccessPerm } from './search/access.ts';
import { assertReachable, probesNeeded, type AccessKey } from './access-probe.ts';
import type { Db } from './db.ts';
import { readHistory, type HistoryQuery, type HistoryPage } from './history.ts';
import { explainSearch, runSearch, type SearchResult } from './search/run-search.ts';
import { WriteBuffer, pendingVersion } from './write-buffer.ts';
import { queueForecasts } from './forecast-queue.ts';
import { stampVersion } from './stamp.ts';
import { emptyIndexRows } from './search/index-rows.ts';
import { AUDIT_EVENT, readAuditEvent, searchAuditTrail } from './audit-trail.ts';

/** What the store needs to know about the server. */
export interface StoreContext {
  searchParameters: SearchParameterRegistry;
  /** FHIR base URL, so absolute references to this server index like relative ones. */
  baseUrl: string;
}

/** A resource version as stored. */
export interface StoredResource {
  resource: Resource;
  versionId: number;
  lastUpdated: string;
}

/** Options of an update. */
export interface UpdateOptions {
  /** Required current version (`If-Match`); 412 when it differs. */
  ifMatch?: number;
  /** Method recorded in history. */
  method?: 'PUT' | 'PATCH';
}

interface CurrentRow {
  version_id: number;
  deleted: boolean;
}

/**
 * The store: create, read, vread, update, delete, history and search of FHIR resources over the Db port. Every
 * version is kept; writes inside one unit of work are buffered and written set-based, and flushed before reads.
 */
export class Repository {
  private readonly buffer = new WriteBuffer();
  /** Current versions already locked in this transaction (`Type/id` -> row, or null when absent). */
  private readonly locked = new Map<string, CurrentRow | null>();
  /**
   * Inside a transaction, the JSON of each resource this repository wrote (`Type/id` -> content, null once deleted):
   * its current version as the database will hold it once flushed, since a created id is new and an updated row was
   * locked before it was written. {@link readMany} answers these without a flush and a read.
   */
  private readonly written = new Map<string, string | null>();

  /**
   * @param db - the database or the transaction this repository works in.
   * @param ctx - search parameters and base URL.
   * @param access - the caller's access restriction, applied in the SQL of reads, searches, history and writes
   *   (absent: the system itself, unrestricted).
   */
  constructor(
    readonly db: Db,
    readonly ctx: StoreContext,
    readonly access?: AccessRestriction,
  ) {}

  /**
   * A repository over the same database that applies a caller's access restriction.
   * @param access - the restriction.
   * @returns the restricted repository.
   */
  withAccess(access: AccessRestriction): Repository {
    return new Repository(this.db, this.ctx, access);
  }

  /**
   * Throws 403 unless the caller's rule for `perm` reaches the current version of `type/id` (one indexed probe of
   * the search tables; DESIGN.md: access control inside the query).
   * @param type - resource type.
   * @param id - resource id.
   * @param perm - the permission exercised.
   */
  async assertAccess(type: string, id: string, perm: AccessPerm): Promise<void> {
    await this.assertAccessMany([{ type, id, perm }]);
  }

  /**
   * {@link assertAccess} for many writes at once: one indexed probe per resource type and permission instead of one
   * per resource, so a unit of work that writes many resources (an HL7 v2 message) is not flushed and probed after
   * each write. Throws 403 for the first resource the caller's rule does not reach.
   * @param keys - type, id and permission exercised of each resource.
   */
  async assertAccessMany(keys: readonly AccessKey[]): Promise<void> {
    if (!this.access || !probesNeeded(this.access, keys)) return;
    await assertReachable(this.db, this.ctx.baseUrl, this.access, keys, () => this.flush());
  }

  /**
   * Runs `fn` in one database transaction with a repository bound to it; buffered writes are flushed before commit.
   * @param fn - the unit of work.
   * @returns what `fn` returns.
   */
  async transaction<T>(fn: (repo: Repository) => Promise<T>): Promise<T> {
    // Already in a transaction: join it (its buffer and locks), so a transaction bundle stays one set-based unit.
    if (this.db.inTransaction) return fn(this);
    return this.db.transaction(async (tx) => {
      const repo = new Repository(tx, this.ctx, this.access);
      const result = await fn(repo);
      await repo.flush();
      return result;
    });
  }

  /** Writes buffered versions now. */
  async flush(): Promise<void> {
    if (!this.buffer.empty) await this.buffer.flush(this.db);
  }

  private async inTx<T>(fn: (repo: Repository) => Promise<T>): Promise<T> {
    return this.db.inTransaction ? fn(this) : this.transaction(fn);
  }

  /**
   * Creates a resource with a server-assigned id (https://hl7.org/fhir/R4/http.html#create).
   * @param resource - the resource (any id in it is replaced).
   * @param id - an id chosen in advance (transaction bundles assign ids before writing).
   * @returns the stored resource.
   */
  async createResource<T extends Resource>(resource: T, id: string = newResourceId()): Promise<T> {
    const stored = stampVersion(resource, id, 1);
    await this.inTx(async (repo) => {
      if (repo.locked.has(`${resource.resourceType}/${id}`)) repo.locked.set(`${resource.resourceType}/${id}`, { version_id: 1, deleted: false });
      repo.bufferVersion(stored, 'POST', false);
    });
    return stored;
  }

  private bufferVersion(resource: Resource, method: 'POST' | 'PUT' | 'PATCH', replaces: boolean): void {
    const version = pendingVersion(resource, this.ctx.searchParameters, method, replaces);
    this.buffer.add(version);
    if (this.db.inTransaction) this.written.set(`${version.resourceType}/${version.id}`, version.content);
  }

  /**
   * Queues patients for forecast recomputation with this unit of work's writes: in the same statement as its next
   * flush inside a transaction, else at once.
   * @param patientIds - the patients.
   */
  async queueForecasts(patientIds: string[]): Promise<void> {
    if (!patientIds.length) return;
    if (this.db.inTransaction) this.buffer.queueForecasts(patientIds);
    else await queueForecasts(this.db, patientIds);
  }

  private async lockCurrent(type: string, id: string): Promise<CurrentRow | undefined> {
    const key = `${type}/${id}`;
    if (this.locked.has(key)) return this.locked.get(key) ?? undefined;
    await this.flush();
    const rows = await this.db.query<CurrentRow>(
      'SELECT version_id, deleted FROM resource WHERE resource_type = $1 AND id = $2 FOR UPDATE',
      [type, id],
      { prepareAs: 'lock-resource' },
    );
    return rows[0];
  }

  /**
   * Locks the current versions of many resources at once (one statement), so a transaction that updates them
   * does not pay a round trip per resource. Only valid inside a transaction; later writes keep the cache current.
   * @param keys - type and id of each resource about to be written.
   */
  async lockMany(keys: { type: string; id: string }[]): Promise<void> {
    if (!this.db.inTransaction || !keys.length) return;
    await this.flush();
    const rows = await this.db.query<CurrentRow & { resource_type: string; id: string }>(
      `SELECT r.resource_type, r.id, r.version_id, r.deleted FROM resource r
       JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON r.resource_type = k.t AND r.id = k.i FOR UPDATE OF r`,
      [keys.map((k) => k.type), keys.map((k) => k.id)],
    );
    for (const k of keys) this.locked.set(`${k.type}/${k.id}`, null);
    for (const r of rows) this.locked.set(`${r.resource_type}/${r.id}`, { version_id: r.version_id, deleted: r.deleted });
  }

  /**
   * Reads the current versions of many resources in one statement; absent and deleted ones are left out. For the
   * server's own rule checks (not returned to the caller), so the access restriction does not apply.
   * @param keys - type and id of each resource.
   * @returns the resources found.
   */
  async readMany(keys: { type: string; id: string }[]): Promise<Resource[]> {
    const found: Resource[] = [];
    const rest: { type: string; id: string }[] = [];
    for (const k of keys) {
      const content = this.written.get(`${k.type}/${k.id}`);
      if (content === undefined) rest.push(k);
      else if (content !== null) found.push(JSON.parse(content) as Resource);
    }
    if (!rest.length) return found;
    await this.flush();
    const rows = await this.db.query<{ content: string }>(
      `SELECT r.content::text AS content FROM resource r JOIN unnest($1::text[], $2::text[]) AS k(t, i)
       ON r.resource_type = k.t AND r.id = k.i WHERE NOT r.deleted`,
      [rest.map((k) => k.type), rest.map((k) => k.id)],
    );
    return [...found, ...rows.map((r) => JSON.parse(r.content) as Resource)];
  }

  /**
   * Updates a resource, or creates it with the client's id when it does not exist
   * (https://hl7.org/fhir/R4/http.html#update, #upsert); honours If-Match (https://hl7.org/fhir/R4/http.html#concurrency).
   * @param resource - the new content, with its id.
   * @param options - If-Match and method.
   * @returns the stored resource and whether it was created.
   */
  async updateResource<T extends Resource>(resource: T, options: UpdateOptions = {}): Promise<{ resource: T; created: boolean }> {
    return this.inTx(async (repo) => {
      const id = resource.id as string;
      const current = await repo.lockCurrent(resource.resourceType, id);
      if (options.ifMatch !== undefined && (!current || current.deleted || current.version_id !== options.ifMatch)) {
        throw preconditionFailed(
          `Version conflict: If-Match was ${options.ifMatch} but the current version of ${resource.resourceType}/${id} is ${current && !current.deleted ? current.version_id : 'absent'}`,
        );
      }
      if (current && !current.deleted) await repo.assertAccess(resource.resourceType, id, 'u');
      const versionId = (current?.version_id ?? 0) + 1;
      if (repo.locked.has(`${resource.resourceType}/${id}`)) repo.locked.set(`${resource.resourceType}/${id}`, { version_id: versionId, deleted: false });
      const stored = stampVersion(resource, id, versionId);
      repo.bufferVersion(stored, options.method ?? 'PUT', !!current);
      return { resource: stored, created: !current || current.deleted };
    });
  }

  /**
   * Deletes a resource softly: a new version marked deleted, so history keeps every earlier version and later reads
   * answer 410 Gone (https://hl7.org/fhir/R4/http.html#delete).
   * @param type - resource type.
   * @param id - resource id.
   * @param ifMatch - required current version, if any.
   * @returns the deletion's version, or undefined when there was nothing to delete.
   */
  async deleteResource(type: string, id: string, ifMatch?: number): Promise<number | undefined> {
    return this.inTx(async (repo) => {
      const current = await repo.lockCurrent(type, id);
      if (ifMatch !== undefined && (!current || current.version_id !== ifMatch)) {
        throw preconditionFailed(`Version conflict: If-Match was ${ifMatch}`);
      }
      if (!current || current.deleted) return undefined;
      await repo.assertAccess(type, id, 'd');
      const versionId = current.version_id + 1;
      if (repo.locked.has(`${type}/${id}`)) repo.locked.set(`${type}/${id}`, { version_id: versionId, deleted: true });
      if (repo.db.inTransaction) repo.written.set(`${type}/${id}`, null);
      repo.buffer.add({
        resourceType: type,
        id,
        versionId,
        lastUpdated: new Date().toISOString(),
        deleted: true,
        method: 'DELETE',
        content: null,
        index: emptyIndexRows(),
        replaces: true,
      });
      return versionId;
    });
  }

  /**
   * Reads the current version as JSON text, without parsing it (the fast path of `GET [type]/[id]`).
   * @param type - resource type.
   * @param id - resource id.
   * @returns the JSON text with its version and time; throws 404 when unknown and 410 when deleted.
   */
  async readResourceText(type: string, id: string): Promise<{ text: string; versionId: string; lastUpdated: string }> {
    if (type === AUDIT_EVENT) {
      const event = await this.readAuditEvent(id);
      return { text: JSON.stringify(event), versionId: '1', lastUpdated: event.meta?.lastUpdated as string };
    }
    // The fast path of every read: no needless awaits (an empty buffer, a caller whose rule reaches everything).
    if (!this.buffer.empty) await this.flush();
    const rows = await this.db.query<{ content: string | null; deleted: boolean; version_id: number; last_updated: string }>(
      'SELECT content::text AS content, deleted, version_id, last_updated FROM resource WHERE resource_type = $1 AND id = $2',
      [type, id],
      { prepareAs: 'read-resource' },
    );
    const row = rows[0];
    if (!row) throw notFound(`${type}/${id} not found`);
    if (row.deleted || row.content === null) throw gone(`${type}/${id} has been deleted`);
    if (this.access && probesNeeded(this.access, [{ type, perm: 'r' }])) await this.assertAccess(type, id, 'r');
    return { text: row.content, versionId: String(row.version_id), lastUpdated: row.last_updated };
  }

  /**
   * Reads the current version (https://hl7.org/fhir/R4/http.html#read).
   * @param type - resource type.
   * @param id - resource id.
   * @returns the resource.
   */
  async readResource<T extends Resource = Resource>(type: string, id: string): Promise<T> {
    return JSON.parse((await this.readResourceText(type, id)).text) as T;
  }

  /**
   * Reads one version (https://hl7.org/fhir/R4/http.html#vread).
   * @param type - resource type.
   * @param id - resource id.
   * @param versionId - the version.
   * @returns the resource; 404 when the version does not exist, 410 when it is a deletion.
   */
  async readVersion<T extends Resource = Resource>(type: string, id: string, versionId: number): Promise<T> {
    if (type === AUDIT_EVENT) {
      const event = await this.readAuditEvent(id);
      if (versionId !== 1) throw notFound(`${type}/${id}/_history/${versionId} not found`);
      return event as Resource as T;
    }
    await this.flush();
    await this.assertAccess(type, id, 'r');
    const rows = await this.db.query<{ content: string | null; deleted: boolean }>(
      `SELECT content::text AS content, deleted FROM resource WHERE resource_type = $1 AND id = $2 AND version_id = $3
       UNION ALL SELECT content::text AS content, deleted FROM resource_history WHERE resource_type = $1 AND id = $2 AND version_id = $3`,
      [type, id, versionId],
    );
    const row = rows[0];
    if (!row) throw notFound(`${type}/${id}/_history/${versionId} not found`);
    if (row.deleted || row.content === null) throw gone(`${type}/${id}/_history/${versionId} is a deletion`);
    return JSON.parse(row.content) as T;
  }

  /** An event of the audit trail, which lives apart from the resource tables (store/audit-trail.ts). */
  private async readAuditEvent(id: string): Promise<Resource> {
    const event = await readAuditEvent(this.db, id);
    if (!event) throw notFound(`${AUDIT_EVENT}/${id} not found`);
    await this.assertAccess(AUDIT_EVENT, id, 'r');
    return event;
  }

  /**
   * Takes a transaction-scoped advisory lock, serialising conditional creates that test the same criteria so two
   * concurrent requests cannot both create.
   * @param key - text identifying what is locked.
   */
  async lockKey(key: string): Promise<void> {
    if (!this.db.inTransaction) throw conflict('lockKey needs a transaction');
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key], { prepareAs: 'advisory-lock' });
  }

  /**
   * Runs a search (https://hl7.org/fhir/R4/search.html).
   * @param request - the parsed search.
   * @returns matches, includes and total.
   */
  async search(request: SearchRequest): Promise<SearchResult> {
    await this.flush();
    if (request.resourceTypes.includes(AUDIT_EVENT)) {
      if (request.resourceTypes.length > 1) throw badRequest(`${AUDIT_EVENT} is searched on its own (GET [base]/${AUDIT_EVENT})`, '_type');
      if (this.access && this.access.rule(AUDIT_EVENT, 's') !== 'all') throw forbidden(`You may not search ${AUDIT_EVENT}`);
      return searchAuditTrail(this.db, request, this.ctx.baseUrl);
    }
    return runSearch(this.db, this.ctx, request, this.access);
  }

  /**
   * Explains a search's first-page statement with EXPLAIN ANALYZE.
   * @param request - the parsed search.
   * @returns the plan.
   */
  async explainSearch(request: SearchRequest): Promise<string> {
    return explainSearch(this.db, this.ctx, request);
  }

  /**
   * Reads history (https://hl7.org/fhir/R4/http.html#history).
   * @param query - instance, type or system history with `_since`, `_count`, offset.
   * @returns one page of versions, newest first.
   */
  async history(query: HistoryQuery): Promise<HistoryPage> {
    await this.flush();
    if (this.access) {
      if (query.id) await this.assertAccess(query.resourceTypes[0] as string, query.id, 'r');
      else if (query.resourceTypes.some((t) => this.access?.rule(t, 'r') !== 'all')) {
        throw forbidden('Type and system history are open only to callers who may read every resource of the types asked for');
      }
    }
    return readHistory(this.db, query);
  }
}
