import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { InFlight } from './in-flight.ts';
import type { Db, Row, SqlValue } from './db.ts';
import { debugSql } from './db.ts';
import { isoTimestamp } from './timestamps.ts';

const parsers = {
  [types.TIMESTAMPTZ]: isoTimestamp,
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
};

class PgliteTxDb implements Db {
  readonly driver = 'pglite' as const;
  readonly inTransaction = true;
  constructor(private readonly tx: Transaction) {}
  async query<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    debugSql(sql);
    return (await this.tx.query<T>(sql, params as unknown[], { parsers })).rows;
  }
  async exec(sql: string): Promise<void> {
    await this.tx.exec(sql);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
    await this.tx.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      await this.tx.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await this.tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  }
  /** A handle inside a transaction has nothing of its own to wait for. */
  async settled(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * The PGlite driver of the Db port: PostgreSQL compiled to WASM, in this process. PGlite serialises statements
 * itself, and a transaction holds it exclusively until it ends.
 */
export class PgliteDb implements Db {
  private readonly inFlight = new InFlight();
  readonly driver = 'pglite' as const;
  readonly inTransaction = false;

  private constructor(private readonly pg: PGlite) {}

  /**
   * Opens (creating when needed) an embedded database.
   * @param dataDir - folder for the database files, or undefined for an in-memory database (tests).
   * @param template - a data directory dumped by {@link PgliteDb.dumpDataDir} to start from instead of running
   *   initdb, which is most of the cost of opening a new database (tests open one per file).
   * @returns the ready database.
   */
  static async open(dataDir?: string, template?: Blob): Promise<PgliteDb> {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
    }
    const pg = new PGlite({ ...(dataDir ? { dataDir } : {}), ...(template ? { loadDataDir: template } : {}) });
    await pg.waitReady;
    return new PgliteDb(pg);
  }

  /**
   * The database's files as an uncompressed tar, for {@link PgliteDb.open}'s template.
   * @returns the archive.
   */
  async dumpDataDir(): Promise<Blob> {
    return this.pg.dumpDataDir('none');
  }

  async query<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    debugSql(sql);
    return (await this.pg.query<T>(sql, params as unknown[], { parsers })).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.inFlight.run(() => this.pg.transaction((tx) => fn(new PgliteTxDb(tx))));
  }

  async settled(timeoutMs: number): Promise<void> {
    await this.inFlight.settled(timeoutMs);
  }

  async close(): Promise<void> {
    await this.pg.close();
  }
}
