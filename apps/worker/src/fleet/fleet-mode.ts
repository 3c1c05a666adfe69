import type { Campaign, Recipient } from '@scope/contract';
import {
  type CampaignDistributor,
  type CampaignQueue,
  createCampaignDistributor,
  createCampaignQueue,
  createFleetBudget,
  type FleetBudget,
  fleetRedisOptions,
  type Lease,
} from '@scope/fleet';
import type { RecipientEvent, ServerUpdateScheduler } from '@scope/scheduler';
import { Redis } from 'ioredis';
import type { CampaignCheckpoint, CampaignOwner, CampaignProgress } from '../campaign-runner.js';
import { ConfigError } from '../errors/ConfigError.js';
import { sleep } from '../sleep.js';
import { Acknowledgements } from './Acknowledgements.js';

/** Fleet mode's settings: the Redis the fleet shares, its request budget and its name. */
export interface FleetSettings {
  readonly redisUrl: string;
  /** Requests per window to the main server, for the whole fleet. */
  readonly budget: number;
  /** The budget's sliding window, in ms. */
  readonly windowMs: number;
  /** Namespaces the fleet's Redis keys. */
  readonly name: string;
}

/** A campaign a fleet worker took, with the ownership its runner must respect. */
export interface OwnedCampaign {
  readonly campaign: Campaign;
  readonly recipients: readonly Recipient[];
  readonly owner: CampaignOwner;
}

/** What this worker did in the fleet, for the summary. */
export interface FleetReport {
  readonly name: string;
  readonly budget: number;
  readonly windowMs: number;
  readonly workerId: string;
  /** Campaigns this worker ran to their end, took over from another worker, and lost to another. */
  readonly completed: number;
  readonly takenOver: number;
  readonly lost: number;
  /** Requests the budget granted this worker (through Redis, or on its static share while Redis was down). */
  readonly grants: number;
  readonly localGrants: number;
  /** Time this worker's requests waited for the fleet budget. */
  readonly waitedMs: number;
}

/** How long the first connection to Redis may take before the worker gives up, naming the URL. */
const CONNECT_TIMEOUT_MS = 5_000;
/** How often a fleet worker looks again at the server's ready campaigns and at the fleet's queue. */
const POLL_MS = 2_000;

/**
 * A worker's membership of a fleet: its requests go through the fleet's budget (`gate`), and it runs the campaigns
 * the fleet's distributor gives it, one owner per campaign, fenced by owner epochs.
 */
export class Fleet {
  readonly budget: FleetBudget;
  readonly #redis: Redis;
  readonly #settings: FleetSettings;
  readonly #queue: CampaignQueue;
  #distributor: CampaignDistributor<{ campaign: Campaign }> | undefined;
  #counts = { completed: 0, takenOver: 0, lost: 0 };

  private constructor(redis: Redis, settings: FleetSettings, workerId: string) {
    this.#redis = redis;
    this.#settings = settings;
    const { name, budget, windowMs } = settings;
    this.budget = createFleetBudget({ redis, name, budget, windowMs, workerId });
    this.#queue = createCampaignQueue({ redis, name: settings.name });
  }

  /**
   * Connects to the fleet's Redis and joins it.
   *
   * @throws ConfigError naming `--redis-url` when Redis cannot be reached at start.
   */
  static async join(settings: FleetSettings, workerId: string, log: (line: string) => void): Promise<Fleet> {
    const redis = new Redis(settings.redisUrl, { ...fleetRedisOptions, lazyConnect: true });
    // Connection errors are the budget's to handle (it falls back to a static share); they are logged once each.
    let lastError = '';
    let joined = false;
    redis.on('error', (error: Error) => {
      const text = describeRedisError(error);
      if (joined && text !== lastError) log(`fleet: Redis ${redactUrl(settings.redisUrl)}: ${text}`);
      lastError = text;
    });
    const connected = new AbortController();
    try {
      await Promise.race([
        redis.connect(),
        sleep(CONNECT_TIMEOUT_MS, connected.signal).then(() => {
          if (!connected.signal.aborted) throw new Error(`no answer in ${CONNECT_TIMEOUT_MS / 1000} s`);
        }),
      ]);
      connected.abort();
    } catch (error) {
      connected.abort();
      redis.disconnect();
      // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than ioredis's "Connection is closed".
      const cause = lastError || describeRedisError(error as Error);
      throw new ConfigError(`--redis-url: cannot reach ${redactUrl(settings.redisUrl)} (${cause})`);
    }
    joined = true;
    const fleet = new Fleet(redis, settings, workerId);
    fleet.budget.on('mode', ({ mode, reason }) =>
      log(
        mode === 'local'
          ? `fleet: Redis unreachable (${reason}): sending on a static share of the budget`
          : 'fleet: Redis back',
      ),
    );
    await fleet.budget.ready;
    return fleet;
  }

  /**
   * Offers the server's ready campaigns to the fleet and runs those this worker is given, until the fleet's queue
   * is empty or `stopping` aborts (its campaigns are then handed back to the fleet).
   */
  async run(options: {
    readonly scheduler: ServerUpdateScheduler;
    readonly ready: () => Promise<Campaign[]>;
    readonly recipientsOf: (campaign: Campaign, signal: AbortSignal) => Promise<Recipient[]>;
    readonly runCampaign: (taken: OwnedCampaign) => Promise<CampaignProgress>;
    readonly stopping: AbortSignal;
    readonly log: (line: string) => void;
  }): Promise<void> {
    const { scheduler, log } = options;
    // The worker leaves the fleet when asked to stop, or when its mail fails (a campaign paused for it).
    const leaving = new AbortController();
    const stopping = AbortSignal.any([options.stopping, leaving.signal]);
    const acknowledgements = new Acknowledgements(scheduler);
    const running = new Set<Promise<unknown>>();
    const distributor = createCampaignDistributor<{ campaign: Campaign }>({
      redis: this.#redis,
      name: this.#settings.name,
      membership: this.budget.membership,
      run: async ({ data }, lease) => {
        const run = this.#runOwned(data.campaign, lease, acknowledgements, { ...options, stopping }, leaving);
        running.add(run);
        try {
          await run;
        } finally {
          running.delete(run);
        }
      },
    });
    this.#distributor = distributor;
    distributor.on('error', (error) => log(`fleet: ${(error as Error).message}`));
    await distributor.start();
    const offered = new Set<string>();
    while (!stopping.aborted) {
      try {
        for (const campaign of await options.ready()) {
          if (offered.has(campaign.id)) continue;
          await distributor.offer(campaign.id, { campaign });
          offered.add(campaign.id);
        }
        const { active, waiting } = await this.#queue.counts();
        if (active === 0 && waiting === 0 && distributor.owned().size === 0) break;
      } catch (error) {
        if (stopping.aborted) break;
        log(`fleet: ${(error as Error).message}; trying again in ${POLL_MS / 1000} s`);
      }
      await sleep(POLL_MS, stopping);
    }
    await distributor.close({ timeoutMs: 5_000 });
    await Promise.allSettled(running);
  }

  async #runOwned(
    campaign: Campaign,
    lease: Lease,
    acknowledgements: Acknowledgements,
    options: Parameters<Fleet['run']>[0],
    leaving: AbortController,
  ): Promise<void> {
    const resume = lease.checkpointed as CampaignCheckpoint | undefined;
    if (resume !== undefined) this.#counts.takenOver++;
    options.log(
      `fleet: took ${campaign.id} (owner epoch ${lease.epoch})${resume === undefined ? '' : `, from recipient ${resume.inDoubt ?? resume.next}`}`,
    );
    const recipients = await options.recipientsOf(campaign, lease.signal);
    const checkpoint = (progress: CampaignProgress, next: number, inDoubt?: number) =>
      lease
        .checkpoint({
          next,
          ...(inDoubt === undefined ? {} : { inDoubt }),
          sent: progress.sent,
          failed: progress.failed,
          bounced: progress.bounced,
          inDoubtCount: progress.inDoubt,
          unacknowledged: acknowledgements.of(campaign.id),
        } satisfies CampaignCheckpoint)
        .catch(() => false);
    const owner: CampaignOwner = {
      epoch: lease.epoch,
      resume,
      signal: lease.signal,
      // Written before the email goes: a worker that dies after this line leaves the recipient in doubt, never resent.
      claim: (index, progress) => checkpoint(progress, index, index),
      settle: async (index, event: RecipientEvent, progress) => {
        if (event.eventId !== undefined) acknowledgements.add(campaign.id, { ...event, eventId: event.eventId });
        await checkpoint(progress, index + 1);
      },
    };
    const progress = await options.runCampaign({ campaign, recipients, owner }).finally(() => {
      // Its checkpoint is written no more: a next owner (if any) has what the last one holds.
      acknowledgements.forget(campaign.id);
    });
    if (lease.signal.aborted && !options.stopping.aborted) {
      this.#counts.lost++;
      options.log(`fleet: lost ${campaign.id} to another worker; stopped sending it`);
      return;
    }
    if (progress.state === 'completed' || progress.state === 'cancelled') {
      this.#counts.completed++;
      return;
    }
    // Not done (the worker is stopping, or its mail fails): the campaign goes back to the fleet when the worker
    // leaves, for another to take up; a run that returned now would mark it done.
    if (progress.state === 'paused') leaving.abort();
    if (!lease.signal.aborted)
      await new Promise((resolve) => lease.signal.addEventListener('abort', resolve, { once: true }));
  }

  report(): FleetReport {
    const local = this.budget.localStats();
    return {
      name: this.#settings.name,
      budget: this.#settings.budget,
      windowMs: this.#settings.windowMs,
      workerId: this.budget.workerId,
      ...this.#counts,
      grants: local.grants,
      localGrants: local.localGrants,
      waitedMs: Math.round(local.waitedMs),
    };
  }

  async close(): Promise<void> {
    await this.#distributor?.close({ timeoutMs: 1_000 }).catch(() => undefined);
    await this.#queue.close().catch(() => undefined);
    await this.budget.close().catch(() => undefined);
    this.#redis.disconnect();
  }
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function describeRedisError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
