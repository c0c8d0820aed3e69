/** One row of a query result, keyed by column name. */
export type Row = Record<string, unknown>;

/** A query parameter value as both drivers accept it. */
export type SqlValue = string | number | boolean | null | Date | string[] | number[] | (string | null)[] | (number | null)[];

/** Options of one statement. */
export interface QueryOptions {
  /**
   * Makes the statement a prepared statement of this name on each server connection, parsed and planned once
   * instead of on every call (https://www.postgresql.org/docs/current/sql-prepare.html): for fixed statements on
   * hot paths whose generic plan suits every parameter value, such as reads by primary key. PGlite, which runs in
   * the process, ignores it.
   */
  prepareAs?: string;
}

/**
 * The database port: the only way the store talks to PostgreSQL. Two drivers implement it, `pg` for a server
 * database and PGlite for the embedded one; both speak the same SQL dialect.
 */
export interface Db {
  /** Runs one parameterised statement (`$1`, `$2`…). */
  query<T = Row>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` inside one database transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** True when this handle is already inside a transaction. */
  readonly inTransaction: boolean;
  /**
   * Bulk-loads rows with `COPY … FROM STDIN` (COPY text format); only the `pg` driver has it, so callers fall
   * back to INSERT statements when it is absent (PGlite).
   */
  copyFrom?(sql: string, data: string): Promise<number>;
  /** Which driver this is, for diagnostics. */
  readonly driver: 'pg' | 'pglite';
  /** Resolves once no transaction started on this handle is still running, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Read once: the environment is fixed for the life of the process, and a lookup per statement showed in profiles. */
const SQL_DEBUG = process.env.SQL_DEBUG === '1';

/** Logs SQL when `SQL_DEBUG=1`, without parameter values (they may hold patient data). */
export function debugSql(sql: string): void {
  if (SQL_DEBUG) {
    console.error(`[sql] ${sql.replace(/\s+/g, ' ').trim()}`);
  }
}
