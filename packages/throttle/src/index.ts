import { checkWrapArguments, resolveOptions, type ThrottleOptions, type WrapOptions } from './options.js';

export type { ThrottleOptions, WrapOptions } from './options.js';
export { MIN_UPDATE_INTERVAL } from './options.js';

/** A throttle shared by every update call of a worker. Create one with {@link createThrottle}. */
export interface Throttle {
  /** Whether a call started now would be at least `minIntervalMs` after the last one (the seed's check). */
  canSendUpdate(): boolean;
  /** Records that an update was sent now, outside `wrap`; wrapped calls wait out the window it opens. */
  markSent(): void;
  /**
   * Wraps `fn` so that its calls share this throttle's spacing without losing any: a call made inside
   * the window is deferred into one trailing call per `key`, its arguments merged with those of later
   * calls by `merge`. Every caller's promise settles with the result of the call that carried its
   * arguments.
   *
   * @throws TypeError when `fn`, `key` or `merge` is not a function.
   */
  wrap<Args extends unknown[], Result>(
    fn: (...args: Args) => Result,
    options?: WrapOptions<Args>,
  ): (...args: Args) => Promise<Awaited<Result>>;
  /**
   * Runs every deferred call, still spaced, and resolves once they and the calls already running have
   * settled. While it waits, the process is kept alive; otherwise the throttle's timer never is.
   */
  flush(): Promise<void>;
  /** How many deferred calls are waiting for the window to open. */
  readonly pending: number;
}

/** A deferred call: the arguments it will carry and the promise every merged caller holds. */
interface Deferred {
  readonly fn: (...args: unknown[]) => unknown;
  readonly slots: Map<unknown, Deferred>;
  readonly key: unknown;
  args: unknown[];
  self: unknown;
  /** Someone waits on its promise: the throttle's timer holds the process until it has run. */
  awaited: boolean;
  readonly promise: Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * The promise of a deferred call. It tells the throttle when someone waits on it (`await`, `then`, `catch`): from
 * then on the throttle's timer holds the process open until the call has run, so awaited updates are not lost when
 * a worker's loop ends. A deferred call nobody waits on never holds the process.
 */
class Awaitable<T> extends Promise<T> {
  static override get [Symbol.species]() {
    return Promise;
  }

  onAwaited: (() => void) | undefined;

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass overrides then, to learn it is awaited.
  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const awaited = this.onAwaited;
    this.onAwaited = undefined;
    awaited?.();
    return super.then(onFulfilled, onRejected);
  }
}

/**
 * Creates a lossless throttle: no two calls through it start less than `minIntervalMs` apart, and a call
 * that comes too soon is deferred and merged, never skipped.
 *
 * @example
 * ```js
 * const throttle = createThrottle({ minIntervalMs: 15_000 });
 * const postEvents = throttle.wrap(api.postEvents, {
 *   key: (campaignId) => campaignId,
 *   merge: ([id, a], [, b]) => [id, [...a, ...b]],
 * });
 * await postEvents('c1', events); // runs now, or later together with the calls that follow it
 * await throttle.flush();         // before the process ends
 * ```
 * @throws TypeError or RangeError naming the option that is wrong.
 */
export function createThrottle(options?: ThrottleOptions): Throttle {
  const { minIntervalMs } = resolveOptions(options);
  let lastStart = Number.NEGATIVE_INFINITY;
  let running = 0;
  let timer: Timer | undefined;
  // Deferred calls in the order they were first deferred: the oldest goes first.
  const queue = new Set<Deferred>();
  const idleWaiters: Array<() => void> = [];
  // Deferred calls someone waits on: while there are any, the timer holds the process open.
  let awaitedCalls = 0;

  // Globals are read at call time, so fake timers installed after import still drive the throttle.
  const windowOpen = () => Date.now() - lastStart >= minIntervalMs;

  function arm(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (queue.size === 0) return;
    timer = setTimeout(onWindowOpen, Math.max(0, lastStart + minIntervalMs - Date.now()));
    if (idleWaiters.length === 0 && awaitedCalls === 0) timer.unref?.();
  }

  function onWindowOpen(): void {
    timer = undefined;
    const next = queue.values().next().value;
    if (next !== undefined && windowOpen()) {
      queue.delete(next);
      if (next.awaited) awaitedCalls--;
      next.slots.delete(next.key);
      start(next.fn, next.self, next.args).then(next.resolve, next.reject);
    }
    arm();
  }

  function start(fn: Deferred['fn'], self: unknown, args: unknown[]): Promise<unknown> {
    lastStart = Date.now();
    running++;
    const call = new Promise((resolve) => resolve(fn.apply(self, args)));
    const done = () => {
      running--;
      settleIfIdle();
    };
    call.then(done, done);
    return call;
  }

  function settleIfIdle(): void {
    if (queue.size > 0 || running > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  function wrap<Args extends unknown[], Result>(
    fn: (...args: Args) => Result,
    wrapOptions?: WrapOptions<Args>,
  ): (...args: Args) => Promise<Awaited<Result>> {
    checkWrapArguments(fn, wrapOptions);
    const keyOf = wrapOptions?.key;
    const merge = wrapOptions?.merge;
    const slots = new Map<unknown, Deferred>();

    return function throttled(this: unknown, ...args: Args) {
      if (queue.size === 0 && windowOpen()) {
        return start(fn as Deferred['fn'], this, args) as Promise<Awaited<Result>>;
      }
      let key: unknown;
      try {
        key = keyOf?.apply(this, args);
        const deferred = slots.get(key);
        if (deferred !== undefined) {
          const merged = merge ? merge(deferred.args as Args, args) : args;
          if (!Array.isArray(merged)) {
            throw new TypeError(`Expected wrap option \`merge\` to return an array of arguments, got ${typeof merged}`);
          }
          deferred.args = merged;
          deferred.self = this;
          return deferred.promise as Promise<Awaited<Result>>;
        }
      } catch (error) {
        return Promise.reject(error);
      }
      let resolve!: Deferred['resolve'];
      let reject!: Deferred['reject'];
      const promise = new Awaitable<unknown>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const deferred: Deferred = {
        fn: fn as Deferred['fn'],
        slots,
        key,
        args,
        self: this,
        awaited: false,
        promise,
        resolve,
        reject,
      };
      promise.onAwaited = () => {
        if (!queue.has(deferred)) return;
        deferred.awaited = true;
        awaitedCalls++;
        timer?.ref?.();
      };
      slots.set(key, deferred);
      queue.add(deferred);
      if (timer === undefined) arm();
      return promise as Promise<Awaited<Result>>;
    };
  }

  return {
    canSendUpdate: windowOpen,
    markSent() {
      lastStart = Date.now();
      arm();
    },
    wrap,
    flush() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        timer?.ref?.();
        settleIfIdle();
      });
    },
    get pending() {
      return queue.size;
    },
  };
}
