import { show } from './common/show.js';
import type { ThrottledCallError } from './errors/ThrottledCallError.js';

/**
 * The seed's minimum spacing between two server updates, in milliseconds: 15 seconds keeps a worker's
 * requests far enough apart that many workers together cannot overwhelm the main server.
 */
export const MIN_UPDATE_INTERVAL = 15_000;

/** The longest `minIntervalMs`: the longest delay a timer takes (a longer one would fire at once). */
const MAX_INTERVAL = 2 ** 31 - 1;

/** Options of {@link createThrottle}. */
export interface ThrottleOptions {
  /**
   * The least time, in milliseconds, between the starts of any two calls made through this throttle:
   * every wrapped function and every `markSent()` share it. A finite number from 0 to 2147483647 (2^31 − 1).
   *
   * @default 15000
   */
  readonly minIntervalMs?: number | undefined;
  /**
   * Called when a call fails and some of its callers were not waiting on their promise (they called without
   * `await`, `then` or `catch`), with the error and the arguments of those callers, so that no argument is lost
   * unseen. The callers' promises still reject, and never as an unhandled rejection.
   *
   * @default (error) => process.emitWarning(…) (one `ThrottledCallError` warning on stderr per such failure)
   */
  readonly onUnawaitedError?:
    | ((error: ThrottledCallError, unawaitedCalls: ReadonlyArray<readonly unknown[]>) => void)
    | undefined;
}

/** Options of {@link Throttle.wrap}, chosen per wrapped function. */
export interface WrapOptions<Args extends unknown[]> {
  /**
   * Separates deferred calls: calls inside the window with the same key are merged into one trailing call,
   * calls with different keys each get their own (for example one per campaign).
   *
   * @default () => undefined (every call of this function shares one trailing call)
   */
  readonly key?: ((...args: Args) => unknown) | undefined;
  /**
   * Combines the arguments of a deferred call with those of a later call of the same key. Return the
   * arguments the trailing call should carry, as a new array; leave the given ones as they are (a failure
   * reports each caller's own arguments). Use it to keep every event: `(a, b) => [a[0], [...a[1], ...b[1]]]`.
   *
   * @default (previousArgs, nextArgs) => nextArgs (the newest call wins, right for a status)
   */
  readonly merge?: ((previousArgs: Args, nextArgs: Args) => [...Args]) | undefined;
}

/** The options after defaults, validated. */
export interface ResolvedThrottleOptions {
  readonly minIntervalMs: number;
  readonly onUnawaitedError: NonNullable<ThrottleOptions['onUnawaitedError']>;
}

const defaultOptions: ResolvedThrottleOptions = {
  minIntervalMs: MIN_UPDATE_INTERVAL,
  onUnawaitedError: (error, unawaitedCalls) =>
    process.emitWarning(error.message, {
      type: error.name,
      detail: `${unawaitedCalls.length} call(s) nobody awaited were not delivered; pass onUnawaitedError to createThrottle to keep them.`,
    }),
};

/**
 * Merges the given options over the defaults and refuses a bad one with an error naming it.
 *
 * @throws TypeError when an option has the wrong type or is unknown, RangeError when it is out of range.
 */
export function resolveOptions(options: ThrottleOptions | undefined): ResolvedThrottleOptions {
  if (options === undefined) return defaultOptions;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`Expected \`options\` to be an object, got ${show(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(defaultOptions, name)) {
      throw new TypeError(`Unknown option \`${name}\`; known: ${Object.keys(defaultOptions).join(', ')}`);
    }
  }
  const resolved: ResolvedThrottleOptions = { ...defaultOptions, ...stripUndefined(options) };
  const { minIntervalMs, onUnawaitedError } = resolved;
  const isNumber = typeof minIntervalMs === 'number';
  // NaN fails both comparisons: a number, but not one in range.
  if (!isNumber || !(minIntervalMs >= 0 && minIntervalMs <= MAX_INTERVAL)) {
    const message = `Expected \`minIntervalMs\` to be a finite number from 0 to ${MAX_INTERVAL}, got ${show(minIntervalMs)}`;
    throw isNumber ? new RangeError(message) : new TypeError(message);
  }
  expectFunction('`onUnawaitedError`', onUnawaitedError);
  return resolved;
}

/**
 * Checks what `wrap` was given.
 *
 * @throws TypeError naming the argument that is not a function, or an unknown wrap option.
 */
export function checkWrapArguments(fn: unknown, options: unknown): void {
  expectFunction('`fn`', fn);
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`Expected wrap \`options\` to be an object, got ${show(options)}`);
  }
  for (const [name, value] of Object.entries(options)) {
    if (name !== 'key' && name !== 'merge') throw new TypeError(`Unknown wrap option \`${name}\`; known: key, merge`);
    if (value !== undefined) expectFunction(`wrap option \`${name}\``, value);
  }
}

function expectFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') throw new TypeError(`Expected ${name} to be a function, got ${show(value)}`);
}

/** The options given a value: one given as `undefined` takes its default. */
function stripUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
