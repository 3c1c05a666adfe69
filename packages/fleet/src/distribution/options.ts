import {
  checkFunction,
  checkKnownKeys,
  checkName,
  checkNumber,
  checkObject,
  checkRedis,
  checkString,
} from '../common/check.js';
import type { Membership } from '../membership/Membership.js';
import type { Lease } from './Lease.js';

/** A campaign as the distributor hands it out: its id (the BullMQ job id) and what was offered with it. */
export interface CampaignJob<Data = unknown> {
  readonly campaignId: string;
  readonly data: Data;
}

/** Options of {@link createCampaignDistributor}. */
export interface CampaignDistributorOptions<Data = unknown> {
  /**
   * An ioredis client for the leases and epochs; BullMQ's own connections are duplicated from it (with
   * `maxRetriesPerRequest: null`, as BullMQ wants). The distributor never closes it. Required.
   */
  readonly redis: object;
  /** The fleet name (the same as the budget's): keys `fleet:{<name>}:…`. Required. */
  readonly name: string;
  /**
   * Runs one campaign this worker took; resolves when the campaign is done. It must stop when `lease.signal` aborts
   * (then the campaign is not done: lost to another worker, or handed back when the distributor closes). A run that
   * throws fails the campaign. Required.
   */
  readonly run: (campaign: CampaignJob<Data>, lease: Lease) => Promise<void>;
  /** The membership to share campaigns by (the budget's: `budget.membership`). Required. */
  readonly membership: Membership;
  /**
   * How long a worker's lock on a campaign lasts without renewal (BullMQ renews it every half of this): a worker that
   * died loses its campaigns this long after its last renewal.
   * @default 8000
   */
  readonly lockDurationMs?: number;
  /**
   * How often each worker looks for campaigns whose lock lapsed, and puts them back for another to take. A dead
   * worker's campaigns are taken over within lockDurationMs + 2 × stalledIntervalMs + rebalanceMs: 17 s with the
   * defaults.
   * @default 4000
   */
  readonly stalledIntervalMs?: number;
  /**
   * The most campaigns this worker runs at once; it takes fewer, its fair share, when others are members too.
   * @default 50
   */
  readonly maxCampaigns?: number;
  /**
   * How often the fair share is computed again from the queue's counts and the members; a worker under its share
   * takes one campaign each time, so members that start together share the campaigns instead of the first one seen
   * taking them all.
   * @default 1000
   */
  readonly rebalanceMs?: number;
  /**
   * A Redis call of a lease (check, checkpoint) that takes longer than this fails.
   * @default 500
   */
  readonly redisTimeoutMs?: number;
}

export type ResolvedDistributorOptions<Data> = Required<CampaignDistributorOptions<Data>>;

const defaultOptions = {
  lockDurationMs: 8_000,
  stalledIntervalMs: 4_000,
  maxCampaigns: 50,
  rebalanceMs: 1_000,
  redisTimeoutMs: 500,
} as const;
const KNOWN = ['redis', 'name', 'run', 'membership', ...Object.keys(defaultOptions)];

/**
 * Merges the options over the defaults and refuses a bad one, naming it.
 *
 * @throws TypeError for a missing option, a wrong type or an unknown option; RangeError for a value out of range.
 */
export function resolveDistributorOptions<Data>(
  options: CampaignDistributorOptions<Data>,
): ResolvedDistributorOptions<Data> {
  checkObject('options', options);
  checkKnownKeys('', options, KNOWN);
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const o = { ...defaultOptions, ...defined } as ResolvedDistributorOptions<Data>;
  if (o.redis === undefined) throw new TypeError('Missing option `redis`: pass an ioredis client (new Redis(url))');
  checkRedis('redis', o.redis);
  if (o.name === undefined) throw new TypeError('Missing option `name`: the fleet name that namespaces its keys');
  checkName('name', o.name);
  if (o.run === undefined) throw new TypeError('Missing option `run`: the function that runs one campaign');
  checkFunction('run', o.run);
  if (o.membership === undefined) throw new TypeError('Missing option `membership`: pass budget.membership');
  checkObject('membership', o.membership);
  checkString('membership.workerId', (o.membership as { workerId?: unknown }).workerId);
  checkNumber('lockDurationMs', o.lockDurationMs, { min: 100, integer: true });
  checkNumber('stalledIntervalMs', o.stalledIntervalMs, { min: 100, integer: true });
  checkNumber('maxCampaigns', o.maxCampaigns, { min: 1, integer: true });
  checkNumber('rebalanceMs', o.rebalanceMs, { min: 10, integer: true });
  checkNumber('redisTimeoutMs', o.redisTimeoutMs, { min: 1, integer: true });
  return o;
}
