import type { Db } from './open.js';

export interface GroupCommitParts {
  readonly db: Db;
  readonly intervalMs: number;
  /** Buffered events that make a commit happen at once. */
  readonly maxBuffered: number;
  readonly onError: (error: unknown) => void;
  /** Runs inside every commit, last. */
  readonly beforeCommit: () => void;
  readonly afterCommit: () => void;
}

// A failed commit is tried again after this long, doubling up to the cap.
const RETRY_MS = 50;
const MAX_RETRY_MS = 5_000;

/**
 * Group commit: writes are buffered and run together in one transaction at most `intervalMs` after the first of
 * them, or at once when `maxBuffered` events wait, or when a caller needs a commit now (a seal). A commit that
 * fails is rolled back whole and tried again with everything still buffered, so no write is lost or half done.
 */
export class GroupCommit {
  readonly #p: GroupCommitParts;
  readonly #run: (writes: readonly (() => void)[], last: (() => void) | undefined) => void;
  #writes: (() => void)[] = [];
  #buffered = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryMs = RETRY_MS;
  #waiters: (() => void)[] = [];
  #stopped = false;

  constructor(parts: GroupCommitParts) {
    this.#p = parts;
    this.#run = parts.db.transaction((writes: readonly (() => void)[], last: (() => void) | undefined) => {
      for (const write of writes) write();
      last?.();
      parts.beforeCommit();
    });
  }

  /** Buffers a write (`events` is how many events it adds, towards `maxBuffered`). */
  write(write: () => void, events: number): void {
    this.#writes.push(write);
    this.#buffered += events;
    if (this.#buffered >= this.#p.maxBuffered) this.flush();
    else this.#schedule(this.#p.intervalMs);
  }

  /**
   * Commits what is buffered and then `last`, in one transaction, before returning.
   * @throws what the database threw; then nothing of it was written, and the buffered writes wait for the next.
   */
  now(last: () => void): void {
    this.#commit(last);
  }

  /** Commits what is buffered; a failure is reported and tried again later. */
  flush(): void {
    if (this.#writes.length === 0) return;
    try {
      this.#commit(undefined);
    } catch (error) {
      this.#p.onError(error);
      this.#schedule(this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    }
  }

  /** Resolves once what is buffered now has been committed. */
  durable(): Promise<void> {
    if (this.#writes.length === 0) return Promise.resolve();
    // Someone waits for the commit: its timer holds the process until then.
    (this.#timer as { ref?: () => void } | undefined)?.ref?.();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #commit(last: (() => void) | undefined): void {
    const writes = this.#writes;
    this.#run(writes, last);
    this.#writes = [];
    this.#buffered = 0;
    this.#retryMs = RETRY_MS;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#p.afterCommit();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  #schedule(ms: number): void {
    if (this.#timer !== undefined || this.#stopped) return;
    // Looked up at call time, so fake timers drive it; unref'd unless someone awaits `durable()`.
    this.#timer = globalThis.setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, ms);
    if (this.#waiters.length === 0) (this.#timer as { unref?: () => void }).unref?.();
  }
}
