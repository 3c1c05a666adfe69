import type { WrapOptions } from './options.js';

/** A throttle shared by every update call of a worker. Create one with {@link createThrottle}. */
export interface Throttle {
  /**
   * Whether a call started now would be at least `minIntervalMs` after the last one (the seed's check).
   *
   * @example
   * ```js
   * if (throttle.canSendUpdate()) { await api.putStatus(status); throttle.markSent(); }
   * ```
   */
  canSendUpdate(): boolean;
  /** Records that an update was sent now, outside `wrap`; wrapped calls wait out the window it opens. */
  markSent(): void;
  /**
   * Wraps `fn` so that its calls share this throttle's spacing without losing any: a call made inside
   * the window is deferred into one trailing call per `key`, its arguments merged with those of later
   * calls by `merge`. Every caller's promise settles with the result of the call that carried its
   * arguments, or rejects with a {@link ThrottledCallError} carrying them. That rejection never becomes an
   * unhandled one: a caller that did not wait on its promise is reported to `onUnawaitedError` instead.
   *
   * @example
   * ```js
   * const putStatus = throttle.wrap(api.putStatus, { key: (campaignId) => campaignId });
   * ```
   * @throws TypeError when `fn`, `key` or `merge` is not a function, or a wrap option is unknown.
   */
  wrap<Args extends unknown[], Result>(
    fn: (...args: Args) => Result,
    options?: WrapOptions<Args>,
  ): (...args: Args) => Promise<Awaited<Result>>;
  /**
   * Runs the calls deferred when it is called, still spaced, and resolves once they and the calls running then
   * have settled; calls deferred later are not waited for (later calls of the same key ride along with a waiting
   * one). While it waits, the process is kept alive; otherwise the throttle's timer never is. It does not reject
   * for a failed call: failures go to the callers.
   *
   * @example
   * ```js
   * await throttle.flush(); // before the campaign or the process ends
   * ```
   * @throws FlushInsideCallError (as a rejection) when called from inside a call running through this throttle,
   * which would otherwise deadlock.
   */
  flush(): Promise<void>;
  /** How many deferred calls are waiting for the window to open. */
  readonly pending: number;
}
