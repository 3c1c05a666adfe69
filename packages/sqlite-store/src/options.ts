/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** The outbox file; made (with its folder) if missing. */
  readonly path: string;
  /**
   * How hard a commit is pushed to the disk. With `NORMAL` (and WAL), a commit survives a crash of the process at
   * any moment; the last commits before a power loss or an OS crash may be lost. `FULL` survives those too, at
   * about a third of the throughput.
   * @default 'NORMAL'
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /**
   * Group commit: what `record()` adds is written at most this long after (one transaction for all of it).
   * `await store.durable()` to know it is on disk.
   * @default 5
   */
  readonly commitIntervalMs?: number;
  /**
   * Group commit: this many events waiting to be written are written at once, without waiting for the interval.
   * @default 1000
   */
  readonly maxBufferedEvents?: number;
  /**
   * Checks the file's integrity when it opens (`PRAGMA quick_check`): `'after-crash'` when the process before did
   * not close it, `'always'`, or `'never'`. A damaged file is moved aside and a fresh one started (see `damage`).
   * @default 'after-crash'
   */
  readonly integrityCheck?: 'after-crash' | 'always' | 'never';
  /**
   * Called when a write fails (a full disk, an I/O error): the writes are kept and tried again. A seal that fails
   * is reported by the scheduler as an `error` event, and its batch waits.
   * @default process.emitWarning
   */
  readonly onError?: (error: unknown) => void;
}

export const defaultOptions = {
  synchronous: 'NORMAL',
  commitIntervalMs: 5,
  maxBufferedEvents: 1000,
  integrityCheck: 'after-crash',
} as const;

export type ResolvedOptions = Required<Omit<SqliteStoreOptions, 'onError'>> & {
  readonly onError: (error: unknown) => void;
};

/**
 * The options over their defaults, each checked.
 * @throws TypeError or RangeError naming the option.
 */
export function resolveOptions(options: SqliteStoreOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object with a \`path\`, got ${describe(options)}`);
  }
  const known = new Set(['path', 'synchronous', 'commitIntervalMs', 'maxBufferedEvents', 'integrityCheck', 'onError']);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`Unknown option \`${key}\` of SqliteStore`);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const o = { ...defaultOptions, ...defined } as SqliteStoreOptions & typeof defaultOptions;
  if (typeof o.path !== 'string' || o.path === '' || o.path.includes('\0')) {
    throw new TypeError(`Expected \`path\` to be a file path, got ${describe(o.path)}`);
  }
  if (o.synchronous !== 'NORMAL' && o.synchronous !== 'FULL') {
    throw new TypeError(`Expected \`synchronous\` to be "NORMAL" or "FULL", got ${describe(o.synchronous)}`);
  }
  checkInteger('commitIntervalMs', o.commitIntervalMs, 0, 60_000);
  checkInteger('maxBufferedEvents', o.maxBufferedEvents, 1, 1_000_000);
  if (!['after-crash', 'always', 'never'].includes(o.integrityCheck)) {
    throw new TypeError(
      `Expected \`integrityCheck\` to be "after-crash", "always" or "never", got ${describe(o.integrityCheck)}`,
    );
  }
  if (o.onError !== undefined && typeof o.onError !== 'function') {
    throw new TypeError(`Expected \`onError\` to be a function, got ${describe(o.onError)}`);
  }
  return { ...o, onError: o.onError ?? warn };
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`Expected \`${name}\` to be an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`Expected \`${name}\` to be an integer from ${min} to ${max}, got \`${value}\` (number)`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `\`${JSON.stringify(value)}\` (string)`;
  if (value === null) return '`null`';
  return typeof value === 'object'
    ? `an ${Array.isArray(value) ? 'array' : 'object'}`
    : `\`${String(value)}\` (${typeof value})`;
}

function warn(error: unknown): void {
  const message = `SqliteStore: a write failed and will be tried again: ${error instanceof Error ? error.message : String(error)}`;
  process.emitWarning(message, { code: 'SCOPE_SQLITE_STORE' });
}
