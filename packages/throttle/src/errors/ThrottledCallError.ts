import { text } from '../common/show.js';

/**
 * The rejection of every caller of a throttled call that failed: the function threw or rejected (or, for one
 * caller, its `key` or `merge` threw). It carries every argument that went into the call, so none is lost: the
 * merged arguments the function was called with, and each caller's own arguments.
 *
 * @example
 * ```js
 * try {
 *   await postEvents(campaignId, events);
 * } catch (error) {
 *   if (!isThrottledCallError(error)) throw error;
 *   console.error(error.cause);  // what the function threw
 *   retryLater(campaignId, events); // this caller's own arguments (error.calls has every caller's)
 * }
 * ```
 */
export class ThrottledCallError<Args extends readonly unknown[] = unknown[]> extends Error {
  override readonly name = 'ThrottledCallError';
  /** Marks the error across package copies, for {@link isThrottledCallError}. */
  readonly isThrottledCallError = true;
  /** What the wrapped function threw or rejected with (or what `key` or `merge` threw). */
  declare readonly cause: unknown;
  /**
   * The arguments of the failed call: the merged ones the function was called with. When a caller's own `key` or
   * `merge` threw, that caller's arguments.
   */
  readonly args: Args;
  /** The arguments each caller merged into the call passed, oldest first: one entry for a call nobody joined. */
  readonly calls: readonly Args[];

  constructor(cause: unknown, args: Args, calls: readonly Args[]) {
    const reason = cause instanceof Error ? cause.message : text(cause);
    super(`A throttled call carrying the arguments of ${calls.length} call(s) failed: ${reason}`, { cause });
    this.args = args;
    this.calls = calls;
  }
}

/**
 * Whether `error` is a {@link ThrottledCallError}, also one thrown by another copy of this package.
 *
 * @example
 * ```js
 * if (isThrottledCallError(error)) for (const args of error.calls) keepForLater(args);
 * ```
 */
export const isThrottledCallError = <Args extends readonly unknown[] = unknown[]>(
  error: unknown,
): error is ThrottledCallError<Args> =>
  typeof error === 'object' && error !== null && (error as ThrottledCallError).isThrottledCallError === true;
