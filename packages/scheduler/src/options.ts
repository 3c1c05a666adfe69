import { createSystemClock, MAX_TIMER_MS } from './clock.js';
import { checkFunction, checkKnownKeys, checkNumber, checkObject, checkString, describeValue } from './common/check.js';
import { checkLogger, type Logger } from './observe/Logger.js';
import { DEFAULT_INTERVAL_TABLE, type IntervalRule } from './policy/intervals.js';
import type { PendingStore } from './store/PendingStore.js';
import type { Clock, Transport } from './types.js';

/** Options of {@link ServerUpdateScheduler}. Every number has the seed's default. */
export interface SchedulerOptions {
  /** Sends one batch as one request: `createHttpTransport(...)` or your own. Required. */
  readonly transport: Transport;
  /**
   * Names this worker in every batch.
   * @default `worker-` and 8 random hex digits
   */
  readonly workerId?: string;
  /**
   * The least time between the starts of any two requests of this scheduler, retries included.
   * @default 15000
   */
  readonly minIntervalMs?: number;
  /**
   * The most requests in flight at once.
   * @default 2
   */
  readonly maxConcurrent?: number;
  /**
   * The most events of one campaign in one request; a campaign with this many pending is due at once.
   * @default 100
   */
  readonly maxBatchEvents?: number;
  /**
   * The most campaigns in one bulk request.
   * @default 50
   */
  readonly maxBatchCampaigns?: number;
  /**
   * The most events held (pending or in unacknowledged batches). Above it, `record()` returns a promise that
   * settles when room is made.
   * @default 10000
   */
  readonly maxPendingEvents?: number;
  /**
   * A campaign rides along in a bulk request when its oldest pending update has waited this fraction of its
   * interval, rather than cost a request of its own later. 0 sends every pending campaign; 1 only due ones.
   * @default 0.5
   */
  readonly rideAlongRatio?: number;
  /**
   * The adaptive table: rate thresholds (emails per minute, ascending) and the interval of each class.
   * @default ≤20 → 120000, ≤60 → 90000, ≤120 → 45000, more → 30000
   */
  readonly intervalTable?: readonly IntervalRule[];
  /**
   * How long one request may take before it is aborted and counted as a timeout.
   * @default 30000
   */
  readonly requestTimeoutMs?: number;
  /**
   * The base of the exponential backoff with full jitter: attempt n waits a random time up to base × 2^(n-1).
   * @default minIntervalMs
   */
  readonly backoffBaseMs?: number;
  /**
   * The cap of the backoff.
   * @default 600000
   */
  readonly maxBackoffMs?: number;
  /**
   * The longest a `Retry-After` is honoured: a server asking for more (`Retry-After: 999999999`) is waited for this
   * long, then tried again.
   * @default maxBackoffMs
   */
  readonly maxRetryAfterMs?: number;
  /**
   * Answers that look like success but do not acknowledge a batch under the contract (an HTML page, a redirect
   * to a login page, `{"accepted": false}`) before its updates are dead-lettered. Each is a failed attempt.
   * @default 5
   */
  readonly maxInvalidAnswers?: number;
  /**
   * Attempts of one batch before its updates are dead-lettered. The default never gives up on a retryable
   * failure: the events wait for the server (and for `close()`'s deadline).
   * @default Infinity
   */
  readonly maxAttempts?: number;
  /**
   * Consecutive failures that open the circuit breaker.
   * @default 5
   */
  readonly breakerThreshold?: number;
  /**
   * A failure ratio over the last `breakerWindow` answers (at least `breakerMinSamples`) that opens the breaker.
   * @default 0.5
   */
  readonly breakerFailureRatio?: number;
  /**
   * How many recent answers the failure ratio is taken over.
   * @default 20
   */
  readonly breakerWindow?: number;
  /**
   * The fewest answers in the window before the ratio can open the breaker.
   * @default 10
   */
  readonly breakerMinSamples?: number;
  /**
   * The first cool-down of an open breaker; it doubles each time a probe fails, up to `maxBreakerCooldownMs`.
   * @default 30000
   */
  readonly breakerCooldownMs?: number;
  /**
   * The longest the breaker's cool-down grows to while the server stays down.
   * @default 600000
   */
  readonly maxBreakerCooldownMs?: number;
  /**
   * A response slower than this (smoothed) counts as the server struggling, and stretches the intervals.
   * @default 2000
   */
  readonly slowResponseMs?: number;
  /**
   * How much one sign of struggle (a slow answer, a 429 or 503) multiplies the intervals and the spacing by.
   * @default 1.5
   */
  readonly stretchFactor?: number;
  /**
   * How much one healthy answer divides the stretch by, down to 1.
   * @default 1.25
   */
  readonly relaxFactor?: number;
  /**
   * The most the intervals and the spacing are stretched.
   * @default 8
   */
  readonly maxStretch?: number;
  /**
   * How many finished campaigns (forgotten once their terminal status is acknowledged) are still known by name, so a
   * late update brings one back with its `seq` rising on, and `flush(id)` of one resolves at once. About 100 bytes
   * each; beyond it, the oldest are forgotten for good and a late update of one is an `UnknownCampaignError`.
   * @default 100000
   */
  readonly rememberFinishedCampaigns?: number;
  /**
   * The deadline of `close()` when it is given none.
   * @default 30000
   */
  readonly closeTimeoutMs?: number;
  /** Holds the pending updates. @default an in-memory store */
  readonly store?: PendingStore;
  /**
   * Time and timers. `now()` must never go back (elapsed time is measured with it).
   * @default createSystemClock(): the globals, read at call time, steady across wall-clock steps back
   */
  readonly clock?: Clock;
  /** A number in [0, 1) for the backoff's jitter; checked at every call. @default Math.random */
  readonly random?: () => number;
  /**
   * Makes a batch id: unique, 1–160 printable ASCII characters (the rest of the contract's 200 is left for the
   * suffixes of split batches). Checked at every call: a repeat of an id still in use or recently issued, or an
   * id out of form, is reported (`error` event) and replaced by a random UUID.
   * @default crypto.randomUUID
   */
  readonly createBatchId?: () => string;
  /**
   * Awaited before each request, once this scheduler's own spacing, concurrency and breaker let it go: a budget
   * shared by several workers (such as `@scope/fleet`'s) resolves when this one may send. While it waits, the
   * request holds its slot (it counts towards `maxConcurrent`); the spacing counts from when it really starts.
   * It is given a signal that aborts when the scheduler closes. If it throws or rejects, the request is not made:
   * the batch waits `minIntervalMs` and asks again, and the error is reported (an `error` event, `source:
   * 'requestGate'`); a gate is never bypassed. What it resolves to is ignored.
   * @default none: requests go as soon as the scheduler's own rules allow
   * @example
   * ```ts
   * new ServerUpdateScheduler({ transport, requestGate: () => fleetBudget.acquire() });
   * ```
   */
  readonly requestGate?: (request: GateRequest, context: { readonly signal: AbortSignal }) => unknown;
  /**
   * Where to log what an operator needs: retries and failed requests (`warn`), the breaker opening (`warn`),
   * half-open and closing (`info`), dead letters (`error`), a listener, store or option function that threw
   * (`error`, once per fault), backpressure, and what `close()` left. Any object with `debug`, `info`, `warn` and
   * `error` methods, called as `logger.warn(fields, message)`: pino and console work as they are. A logger that
   * throws never stops delivery. With a logger, a fault of yours is logged instead of raising a process warning.
   * @default none: the scheduler logs nothing
   * @example
   * ```ts
   * new ServerUpdateScheduler({ transport, logger: pino({ level: 'info' }).child({ component: 'scheduler' }) });
   * ```
   */
  readonly logger?: Logger;
}

/** What a {@link SchedulerOptions.requestGate} is told of the request waiting for it. */
export interface GateRequest {
  readonly batchId: string;
  /** 1 for the batch's first request, more for a retry. */
  readonly attempt: number;
  /** Campaigns and events the request carries. */
  readonly campaigns: number;
  readonly events: number;
}

/** The options after defaults, validated. */
export type ResolvedOptions = Required<
  Omit<SchedulerOptions, 'store' | 'backoffBaseMs' | 'maxRetryAfterMs' | 'requestGate' | 'logger'>
> & {
  readonly logger: Logger | undefined;
  readonly store: PendingStore | undefined;
  readonly requestGate: SchedulerOptions['requestGate'];
  readonly backoffBaseMs: number;
  readonly maxRetryAfterMs: number;
};

const defaultOptions = {
  minIntervalMs: 15_000,
  maxConcurrent: 2,
  maxBatchEvents: 100,
  maxBatchCampaigns: 50,
  maxPendingEvents: 10_000,
  rideAlongRatio: 0.5,
  intervalTable: DEFAULT_INTERVAL_TABLE,
  requestTimeoutMs: 30_000,
  maxBackoffMs: 600_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  maxInvalidAnswers: 5,
  breakerThreshold: 5,
  breakerFailureRatio: 0.5,
  breakerWindow: 20,
  breakerMinSamples: 10,
  breakerCooldownMs: 30_000,
  maxBreakerCooldownMs: 600_000,
  slowResponseMs: 2_000,
  stretchFactor: 1.5,
  relaxFactor: 1.25,
  maxStretch: 8,
  closeTimeoutMs: 30_000,
  rememberFinishedCampaigns: 100_000,
} as const;

const optionNames = [
  'transport',
  'workerId',
  'backoffBaseMs',
  'store',
  'clock',
  'random',
  'createBatchId',
  'maxRetryAfterMs',
  'requestGate',
  'logger',
  ...Object.keys(defaultOptions),
];

const randomId = () => globalThis.crypto.randomUUID();

/**
 * Merges the options over the defaults and refuses any bad one with an error naming it.
 *
 * @throws TypeError for a missing transport, a wrong type or an unknown option; RangeError for a value out of range.
 */
export function resolveOptions(options: SchedulerOptions): ResolvedOptions {
  checkObject('options', options);
  checkKnownKeys('', options, optionNames);
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const o = { ...defaultOptions, ...defined } as SchedulerOptions & typeof defaultOptions;
  if (o.transport === undefined) throw new TypeError('Missing option `transport`: pass createHttpTransport(...)');
  checkFunction('transport', o.transport);
  const shape = o.transport.shape;
  if (shape !== undefined && shape !== 'bulk' && shape !== 'legacy') {
    throw new TypeError(`Expected \`transport.shape\` to be "bulk" or "legacy", got ${describeValue(shape)}`);
  }
  const positive = { min: 1, integer: true };
  checkNumber('minIntervalMs', o.minIntervalMs, { min: 0 });
  checkNumber('maxConcurrent', o.maxConcurrent, positive);
  checkNumber('maxBatchEvents', o.maxBatchEvents, positive);
  checkNumber('maxBatchCampaigns', o.maxBatchCampaigns, positive);
  checkNumber('maxPendingEvents', o.maxPendingEvents, positive);
  checkNumber('rideAlongRatio', o.rideAlongRatio, { min: 0, max: 1 });
  checkNumber('requestTimeoutMs', o.requestTimeoutMs, { min: 1, max: MAX_TIMER_MS });
  checkNumber('maxBackoffMs', o.maxBackoffMs, { min: 0 });
  checkNumber('maxAttempts', o.maxAttempts, { min: 1, integer: true, infinite: true });
  checkNumber('maxInvalidAnswers', o.maxInvalidAnswers, { min: 1, integer: true, infinite: true });
  checkNumber('breakerThreshold', o.breakerThreshold, positive);
  checkNumber('breakerFailureRatio', o.breakerFailureRatio, { min: 0, max: 1 });
  checkNumber('breakerWindow', o.breakerWindow, positive);
  checkNumber('breakerMinSamples', o.breakerMinSamples, positive);
  checkNumber('breakerCooldownMs', o.breakerCooldownMs, { min: 0 });
  checkNumber('maxBreakerCooldownMs', o.maxBreakerCooldownMs, { min: o.breakerCooldownMs });
  checkNumber('slowResponseMs', o.slowResponseMs, { min: 0 });
  checkNumber('stretchFactor', o.stretchFactor, { min: 1 });
  checkNumber('relaxFactor', o.relaxFactor, { min: 1 });
  checkNumber('maxStretch', o.maxStretch, { min: 1 });
  checkNumber('closeTimeoutMs', o.closeTimeoutMs, { min: 0 });
  checkNumber('rememberFinishedCampaigns', o.rememberFinishedCampaigns, { min: 0, integer: true });
  const backoffBaseMs = o.backoffBaseMs ?? o.minIntervalMs;
  checkNumber('backoffBaseMs', backoffBaseMs, { min: 0 });
  const maxRetryAfterMs = o.maxRetryAfterMs ?? o.maxBackoffMs;
  checkNumber('maxRetryAfterMs', maxRetryAfterMs, { min: 0 });
  checkIntervalTable(o.intervalTable);
  const workerId = o.workerId ?? `worker-${randomId().slice(0, 8)}`;
  checkString('workerId', workerId);
  const clock = o.clock ?? createSystemClock();
  checkObject('clock', clock);
  for (const method of ['now', 'setTimeout', 'clearTimeout'] as const) checkFunction(`clock.${method}`, clock[method]);
  const random = o.random ?? Math.random;
  checkFunction('random', random);
  checkRandomValue(random());
  const createBatchId = o.createBatchId ?? randomId;
  checkFunction('createBatchId', createBatchId);
  if (o.store !== undefined) checkObject('store', o.store);
  if (o.requestGate !== undefined) checkFunction('requestGate', o.requestGate);
  if (o.logger !== undefined) checkLogger(o.logger);
  return {
    ...o,
    transport: o.transport,
    workerId,
    backoffBaseMs,
    maxRetryAfterMs,
    clock,
    random,
    createBatchId,
    store: o.store,
    requestGate: o.requestGate,
    logger: o.logger,
  };
}

/** Throws unless `value` is what `random` must return: a number in [0, 1). */
export function checkRandomValue(value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`Expected \`random\` to return a number in [0, 1), got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is what `createBatchId` must return: 1–160 printable ASCII characters. */
export function checkBatchId(value: unknown): asserts value is string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,160}$/.test(value)) {
    throw new TypeError(
      `Expected \`createBatchId\` to return 1-160 printable ASCII characters without spaces, got ${describeValue(value)}`,
    );
  }
  // The parts of a split batch are named `<parent>.1` and `<parent>.2`: an issued id of that form could be the name
  // of a part the server has already applied, and its events would be dropped there as a repeat.
  if (/\.[12]$/.test(value)) {
    throw new TypeError(
      `Expected \`createBatchId\` to return an id not ending in ".1" or ".2" (kept for the parts of a split batch), got ${describeValue(value)}`,
    );
  }
}

function checkIntervalTable(table: unknown): void {
  if (!Array.isArray(table) || table.length === 0) {
    throw new TypeError(`Expected \`intervalTable\` to be a non-empty array, got ${describeValue(table)}`);
  }
  let previous = Number.NEGATIVE_INFINITY;
  table.forEach((rule: unknown, index) => {
    checkObject(`intervalTable[${index}]`, rule);
    checkNumber(`intervalTable[${index}].maxEmailsPerMinute`, rule.maxEmailsPerMinute, { min: 0, infinite: true });
    checkNumber(`intervalTable[${index}].intervalMs`, rule.intervalMs, { min: 0 });
    if ((rule.maxEmailsPerMinute as number) <= previous) {
      throw new RangeError(`Expected \`intervalTable[${index}].maxEmailsPerMinute\` to be above the row before it`);
    }
    previous = rule.maxEmailsPerMinute as number;
  });
}
