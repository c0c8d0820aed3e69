import type { SqlValue } from './db.ts';

/**
 * Collects the parameters of a statement being built and hands out their `$n` placeholders, so every value goes
 * to the database as a parameter and never inside the SQL text.
 */
export class SqlParams {
  readonly values: SqlValue[] = [];

  /** @param value - a parameter value. @returns its placeholder. */
  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The SQL expressions naming the resource a condition is about (its type and id columns). */
export interface Owner {
  type: string;
  id: string;
}

/**
 * Escapes `%`, `_` and `\` so user text is matched literally by LIKE.
 * @param value - user text.
 * @returns the escaped text.
 */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
