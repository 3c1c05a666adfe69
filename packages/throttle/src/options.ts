/**
 * The seed's minimum spacing between two server updates, in milliseconds: 15 seconds keeps a worker's
 * requests far enough apart that many workers together cannot overwhelm the main server.
 */
export const MIN_UPDATE_INTERVAL = 15_000;

/** Options of {@link createThrottle}. */
export interface ThrottleOptions {
  /**
   * The least time, in milliseconds, between the starts of any two calls made through this throttle:
   * every wrapped function and every `markSent()` share it.
   *
   * @default 15000
   */
  readonly minIntervalMs?: number;
}

/** Options of {@link Throttle.wrap}, chosen per wrapped function. */
export interface WrapOptions<Args extends unknown[]> {
  /**
   * Separates deferred calls: calls inside the window with the same key are merged into one trailing call,
   * calls with different keys each get their own (for example one per campaign).
   *
   * @default () => undefined (every call of this function shares one trailing call)
   */
  readonly key?: (...args: Args) => unknown;
  /**
   * Combines the arguments of a deferred call with those of a later call of the same key. Return the
   * arguments the trailing call should carry. Use it to keep every event: `(a, b) => [a[0], [...a[1], ...b[1]]]`.
   *
   * @default (previousArgs, nextArgs) => nextArgs (the newest call wins, right for a status)
   */
  readonly merge?: (previousArgs: Args, nextArgs: Args) => [...Args];
}

/** The options after defaults, validated. */
export interface ResolvedThrottleOptions {
  readonly minIntervalMs: number;
}

const defaultOptions: ResolvedThrottleOptions = { minIntervalMs: MIN_UPDATE_INTERVAL };

function describe(value: unknown): string {
  return `\`${typeof value === 'function' ? 'function' : String(value)}\` (${typeof value})`;
}

/**
 * Merges the given options over the defaults and refuses a bad one with an error naming it.
 *
 * @throws TypeError when an option has the wrong type or is unknown, RangeError when it is out of range.
 */
export function resolveOptions(options: ThrottleOptions | undefined): ResolvedThrottleOptions {
  if (options === undefined) return defaultOptions;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!(name in defaultOptions)) throw new TypeError(`Unknown option \`${name}\`; known: minIntervalMs`);
  }
  const resolved = { ...defaultOptions, ...stripUndefined(options) };
  const { minIntervalMs } = resolved;
  if (typeof minIntervalMs !== 'number' || Number.isNaN(minIntervalMs)) {
    throw new TypeError(`Expected \`minIntervalMs\` to be a number, got ${describe(minIntervalMs)}`);
  }
  if (minIntervalMs < 0 || !Number.isFinite(minIntervalMs)) {
    throw new RangeError(`Expected \`minIntervalMs\` to be a finite number >= 0, got ${describe(minIntervalMs)}`);
  }
  return resolved;
}

/**
 * Checks what `wrap` was given.
 *
 * @throws TypeError naming the argument that is not a function.
 */
export function checkWrapArguments(fn: unknown, options: unknown): void {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describe(fn)}`);
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected wrap \`options\` to be an object, got ${describe(options)}`);
  }
  for (const [name, value] of Object.entries(options)) {
    if (name !== 'key' && name !== 'merge') throw new TypeError(`Unknown wrap option \`${name}\`; known: key, merge`);
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`Expected wrap option \`${name}\` to be a function, got ${describe(value)}`);
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
