import { AsyncLocalStorage } from 'node:async_hooks';
import { Awaitable, markHandled } from './common/Awaitable.js';
import type { Call, Caller } from './common/Call.js';
import { text } from './common/show.js';
import { FlushInsideCallError } from './errors/FlushInsideCallError.js';
import { ThrottledCallError } from './errors/ThrottledCallError.js';
import { checkWrapArguments, resolveOptions, type ThrottleOptions, type WrapOptions } from './options.js';
import type { Throttle } from './Throttle.js';

export { FlushInsideCallError, isFlushInsideCallError } from './errors/FlushInsideCallError.js';
export { isThrottledCallError, ThrottledCallError } from './errors/ThrottledCallError.js';
export type { ThrottleOptions, WrapOptions } from './options.js';
export { MIN_UPDATE_INTERVAL } from './options.js';
export type { Throttle } from './Throttle.js';

type Timer = ReturnType<typeof setTimeout>;

/** The call whose function is running here, across its awaits: how `flush()` knows it is called from inside one. */
const inside = new AsyncLocalStorage<Call>();

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
  const { minIntervalMs, onUnawaitedError } = resolveOptions(options);
  let lastStart = Number.NEGATIVE_INFINITY;
  let timer: Timer | undefined;
  // Deferred calls in the order they were first deferred: the oldest goes first.
  const queue = new Set<Call>();
  const running = new Set<Call>();
  // Deferred calls someone waits on, and flushes waiting: while there are any, the timer holds the process open.
  let awaitedCalls = 0;
  let flushes = 0;

  // Globals are read at call time, so fake timers installed after import still drive the throttle.
  const windowOpen = () => Date.now() - lastStart >= minIntervalMs;

  function holdProcess(): void {
    if (flushes > 0 || awaitedCalls > 0) timer?.ref?.();
    else timer?.unref?.();
  }

  function arm(): void {
    clearTimeout(timer);
    timer = undefined;
    if (queue.size === 0) return;
    timer = setTimeout(onWindowOpen, Math.max(0, lastStart + minIntervalMs - Date.now()));
    holdProcess();
  }

  function onWindowOpen(): void {
    timer = undefined;
    const next = queue.values().next().value;
    if (next !== undefined && windowOpen()) {
      queue.delete(next);
      next.slots.delete(next.key);
      if (next.awaited) awaitedCalls--;
      start(next);
    }
    arm();
  }

  function start(call: Call): void {
    lastStart = Date.now();
    running.add(call);
    // The call has ended before its callers hear of it: a flush they make then is not one from inside it.
    const settle = (ok: boolean, result: unknown) => {
      running.delete(call);
      if (ok) for (const caller of call.callers) caller.resolve(result);
      else fail(call, result);
      call.finish?.();
    };
    new Promise((resolve) => resolve(inside.run(call, () => call.fn.apply(call.self, call.args)))).then(
      (value) => settle(true, value),
      (cause) => settle(false, cause),
    );
  }

  /** Rejects every caller with one error carrying every argument; reports those nobody waits on. */
  function fail({ args, callers }: Pick<Call, 'args' | 'callers'>, cause: unknown): void {
    const error = new ThrottledCallError(
      cause,
      args,
      callers.map((caller) => caller.args),
    );
    for (const caller of callers) {
      markHandled(caller.promise);
      caller.reject(error);
    }
    // A caller that awaits its promise right after the call reaches it a job later: look once it has.
    Promise.resolve().then(() => {
      const unawaited = callers.filter((caller) => !caller.awaited).map((caller) => caller.args);
      if (unawaited.length === 0) return;
      try {
        onUnawaitedError(error, unawaited);
      } catch (thrown) {
        process.emitWarning(`onUnawaitedError threw: ${text(thrown)}`);
      }
    });
  }

  function join(args: unknown[], call?: Call): Caller {
    let resolve!: Caller['resolve'];
    let reject!: Caller['reject'];
    const promise = new Awaitable<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const caller: Caller = { args, promise, resolve, reject, awaited: false };
    promise.onAwaited = () => {
      caller.awaited = true;
      if (call === undefined || call.awaited || !queue.has(call)) return;
      call.awaited = true;
      awaitedCalls++;
      timer?.ref?.();
    };
    call?.callers.push(caller);
    return caller;
  }

  function wrap<Args extends unknown[], Result>(
    fn: (...args: Args) => Result,
    wrapOptions?: WrapOptions<Args>,
  ): (...args: Args) => Promise<Awaited<Result>> {
    checkWrapArguments(fn, wrapOptions);
    const keyOf = wrapOptions?.key;
    const merge = wrapOptions?.merge;
    const slots = new Map<unknown, Call>();
    const newCall = (key: unknown, args: unknown[], self: unknown): Call => ({
      fn: fn as Call['fn'],
      slots,
      key,
      args,
      self,
      callers: [],
      awaited: false,
    });

    return function throttled(this: unknown, ...args: Args) {
      if (queue.size === 0 && windowOpen()) {
        const call = newCall(undefined, args, this);
        const caller = join(args, call);
        start(call);
        return caller.promise as Promise<Awaited<Result>>;
      }
      let call: Call | undefined;
      try {
        const key = keyOf?.apply(this, args);
        call = slots.get(key);
        if (call === undefined) {
          // A copy: a merge that changes the waiting arguments in place leaves this caller's own as it passed them.
          call = newCall(key, [...args], this);
          slots.set(key, call);
          queue.add(call);
          if (timer === undefined) arm();
        } else {
          const merged = merge ? merge(call.args as Args, args) : args;
          if (!Array.isArray(merged)) {
            throw new TypeError(`Expected wrap option \`merge\` to return an array of arguments, got ${typeof merged}`);
          }
          call.args = merged;
          call.self = this;
        }
      } catch (cause) {
        // This caller's key or merge threw: its arguments went nowhere, so it alone fails, with them.
        const caller = join(args);
        Promise.resolve().then(() => fail({ args, callers: [caller] }, cause));
        return caller.promise as Promise<Awaited<Result>>;
      }
      return join(args, call).promise as Promise<Awaited<Result>>;
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
      const here = inside.getStore();
      if (here !== undefined && running.has(here)) return Promise.reject(new FlushInsideCallError());
      const calls = [...queue, ...running];
      flushes++;
      holdProcess();
      const done = (call: Call) =>
        (call.done ??= new Promise((resolve) => {
          call.finish = resolve;
        }));
      return Promise.all(calls.map(done)).then(() => {
        flushes--;
        holdProcess();
      });
    },
    get pending() {
      return queue.size;
    },
  };
}
