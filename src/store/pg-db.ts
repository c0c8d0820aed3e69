import pg from 'pg';
import { InFlight } from './in-flight.ts';
import type { Db, QueryOptions, Row, SqlValue } from './db.ts';
import { debugSql } from './db.ts';
import { isoTimestamp } from './timestamps.ts';
import { copyFromText } from './pg-copy.ts';

// Keep timestamps as ISO strings and bigint counts as numbers; the store never needs Date or BigInt objects.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, isoTimestamp);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** The driver's query config: named (prepared once per connection) when the caller asks for it. */
function statement(sql: string, params: readonly SqlValue[], options: QueryOptions | undefined): pg.QueryConfig {
  return { text: sql, values: params as unknown[], ...(options?.prepareAs ? { name: options.prepareAs } : {}) };
}

class PgClientDb implements Db {
  readonly driver = 'pg' as const;
  readonly inTransaction = true;
  constructor(private readonly client: pg.PoolClient) {}
  async query<T = Row>(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions): Promise<T[]> {
    debugSql(sql);
    return (await this.client.query(statement(sql, params, options))).rows as T[];
  }
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
  async copyFrom(sql: string, data: string): Promise<number> {
    debugSql(sql);
    return copyFromText(this.client, sql, data);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    // Nested transactions become savepoints so a failing inner unit can be undone alone.
    const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
    await this.client.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  }
  /** A handle inside a transaction has nothing of its own to wait for. */
  async settled(): Promise<void> {}

  async close(): Promise<void> {
    // The pool owns the client.
  }
}

/** The `pg` driver of the Db port: a connection pool over a PostgreSQL server. */
export class PgDb implements Db {
  private readonly inFlight = new InFlight();
  readonly driver = 'pg' as const;
  readonly inTransaction = false;
  private readonly pool: pg.Pool;

  /**
   * @param connectionString - a `postgres://` URL.
   * @param max - largest number of pooled connections.
   */
  constructor(connectionString: string, max = 10) {
    this.pool = new pg.Pool({ connectionString, max, statement_timeout: 30_000 });
    // An idle client that loses its connection must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async query<T = Row>(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions): Promise<T[]> {
    debugSql(sql);
    return (await this.pool.query(statement(sql, params, options))).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async copyFrom(sql: string, data: string): Promise<number> {
    debugSql(sql);
    const client = await this.pool.connect();
    try {
      return await copyFromText(client, sql, data);
    } finally {
      client.release();
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.inFlight.run(() => this.runTransaction(fn));
  }

  async settled(timeoutMs: number): Promise<void> {
    await this.inFlight.settled(timeoutMs);
  }

  private async runTransaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgClientDb(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
