/**
 * The part of better-sqlite3's `Database` the store hands out for tables of your own (`database`, `transaction`,
 * `defer`), typed here so a user of the store needs no better-sqlite3 types.
 */
export interface OutboxDatabase {
  prepare(sql: string): OutboxStatement;
  exec(sql: string): unknown;
}

/** A prepared statement (better-sqlite3's `Statement`). */
export interface OutboxStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Rows as their first column alone. */
  pluck(on?: boolean): this;
  /** Rows as arrays. */
  raw(on?: boolean): this;
}
