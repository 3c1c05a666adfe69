/**
 * The rejection of `flush()` called from inside a call running through the same throttle: the flush would wait
 * for that call to end while the call waits for the flush, a deadlock. Flush after the wrapped function returns.
 *
 * @example
 * ```js
 * const report = throttle.wrap(async (status) => {
 *   await api.putStatus(status);
 *   await throttle.flush(); // rejects with FlushInsideCallError instead of never settling
 * });
 * ```
 */
export class FlushInsideCallError extends Error {
  override readonly name = 'FlushInsideCallError';
  /** Marks the error across package copies, for {@link isFlushInsideCallError}. */
  readonly isFlushInsideCallError = true;

  constructor(
    message = 'flush() was called from inside a call running through the same throttle: it would wait for that call, ' +
      'which waits for it (a deadlock). Flush after the wrapped function returns',
  ) {
    super(message);
  }
}

/** Whether `error` is a {@link FlushInsideCallError}, also one thrown by another copy of this package. */
export const isFlushInsideCallError = (error: unknown): error is FlushInsideCallError =>
  typeof error === 'object' && error !== null && (error as FlushInsideCallError).isFlushInsideCallError === true;
