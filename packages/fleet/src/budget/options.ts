import {
  checkFunction,
  checkKnownKeys,
  checkName,
  checkNumber,
  checkObject,
  checkRedis,
  checkString,
} from '../common/check.js';

/** Reads the time; only differences of its values are used, so a client's clock may be off by any amount. */
export interface FleetClock {
  now(): number;
}

/** Options of {@link createFleetBudget}. */
export interface FleetBudgetOptions {
  /** An ioredis client (`new Redis(url, fleetRedisOptions)`); the budget never closes it. Required. */
  readonly redis: object;
  /** Names the fleet: its Redis keys are `fleet:{<name>}:…`, so several fleets (and tests) share one Redis. Required. */
  readonly name: string;
  /**
   * The most requests the whole fleet may start in any sliding window of `windowMs`. Every member must use the
   * same `budget` and `windowMs`. Required.
   */
  readonly budget: number;
  /**
   * The sliding window the budget holds over.
   * @default 15000
   */
  readonly windowMs?: number;
  /**
   * Each grant holds its place in the window for `windowMs + marginMs`: a request reaches the server a little after
   * its grant, and one trip may take longer than another, so the arrivals the server counts also stay within the
   * budget when trips differ by up to this much. Costs marginMs / windowMs of the budget.
   * @default 2 % of windowMs, at most 1000 (300 for 15 s)
   */
  readonly marginMs?: number;
  /**
   * Names this member in the membership, the stats and the static shares. Unique in the fleet.
   * @default `worker-` and 8 random hex digits
   */
  readonly workerId?: string;
  /**
   * How often this member's heartbeat renews its membership.
   * @default 1000
   */
  readonly heartbeatMs?: number;
  /**
   * How long a member not heard from stays a member.
   * @default 3 × heartbeatMs
   */
  readonly memberTtlMs?: number;
  /**
   * A Redis call that takes longer than this counts as Redis being down: the member falls back to its static share.
   * @default 500
   */
  readonly redisTimeoutMs?: number;
  /**
   * The longest an `acquire()` sleeps before asking again, while it waits (for the window, a pause, or Redis).
   * Bounds how soon a member in fallback finds Redis back.
   * @default 250
   */
  readonly probeMs?: number;
  /**
   * Time for the fallback's local window and for measuring waits; only differences are used.
   * @default `Date.now`, read at call time
   */
  readonly clock?: FleetClock;
}

export type ResolvedBudgetOptions = Required<Omit<FleetBudgetOptions, 'clock'>> & { readonly clock: FleetClock };

const defaultOptions = { windowMs: 15_000, heartbeatMs: 1_000, redisTimeoutMs: 500, probeMs: 250 } as const;
const KNOWN = [
  'redis',
  'name',
  'budget',
  'workerId',
  'memberTtlMs',
  'marginMs',
  'clock',
  ...Object.keys(defaultOptions),
];
const systemClock: FleetClock = { now: () => Date.now() };

/**
 * Merges the options over the defaults and refuses a bad one, naming it.
 *
 * @throws TypeError for a missing option, a wrong type or an unknown option; RangeError for a value out of range.
 */
export function resolveBudgetOptions(options: FleetBudgetOptions): ResolvedBudgetOptions {
  checkObject('options', options);
  checkKnownKeys('', options, KNOWN);
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const o = { ...defaultOptions, ...defined } as FleetBudgetOptions & typeof defaultOptions;
  if (o.redis === undefined) throw new TypeError('Missing option `redis`: pass an ioredis client (new Redis(url))');
  checkRedis('redis', o.redis);
  if (o.name === undefined) throw new TypeError('Missing option `name`: the fleet name that namespaces its keys');
  checkName('name', o.name);
  if (o.budget === undefined) throw new TypeError('Missing option `budget`: the requests per window for the fleet');
  checkNumber('budget', o.budget, { min: 1, integer: true });
  checkNumber('windowMs', o.windowMs, { min: 1, integer: true });
  checkNumber('heartbeatMs', o.heartbeatMs, { min: 1, integer: true });
  const memberTtlMs = o.memberTtlMs ?? 3 * o.heartbeatMs;
  checkNumber('memberTtlMs', memberTtlMs, { min: o.heartbeatMs, integer: true });
  checkNumber('redisTimeoutMs', o.redisTimeoutMs, { min: 1, integer: true });
  checkNumber('probeMs', o.probeMs, { min: 1, integer: true });
  const marginMs = o.marginMs ?? Math.min(1_000, Math.ceil(o.windowMs / 50));
  checkNumber('marginMs', marginMs, { min: 0, integer: true });
  const workerId = o.workerId ?? `worker-${globalThis.crypto.randomUUID().slice(0, 8)}`;
  checkString('workerId', workerId);
  if (!/^[\x21-\x7e]{1,200}$/.test(workerId)) {
    throw new TypeError(
      `Expected \`workerId\` to be 1-200 printable ASCII characters without spaces, got \`${workerId}\``,
    );
  }
  const clock = o.clock ?? systemClock;
  checkObject('clock', clock);
  checkFunction('clock.now', clock.now);
  return { ...o, memberTtlMs, marginMs, workerId, clock };
}
