import { type Job, Worker } from 'bullmq';
import { Emitter } from '../common/Emitter.js';
import { sleep } from '../common/sleep.js';
import { fleetKeys } from '../keys.js';
import { CAMPAIGN_QUEUE, CampaignQueue } from './CampaignQueue.js';
import { fairShare } from './fairShare.js';
import { CHECKPOINT_SCRIPT, Lease } from './Lease.js';
import {
  type CampaignDistributorOptions,
  type CampaignJob,
  type ResolvedDistributorOptions,
  resolveDistributorOptions,
} from './options.js';

/** Events of a {@link CampaignDistributor}. */
export interface DistributorEvents {
  /** This worker took a campaign, with a new owner epoch (above 1: a take-over from another worker). */
  readonly acquired: { readonly campaignId: string; readonly epoch: number };
  /**
   * This worker's run of a campaign ended: `done`, `lost` (another worker owns it now, or its lock lapsed), `failed`
   * (the run threw; the campaign is failed in the queue), or `handed-back` (the distributor closed before it was done).
   */
  readonly released: {
    readonly campaignId: string;
    readonly epoch: number;
    readonly outcome: 'done' | 'lost' | 'failed' | 'handed-back';
    readonly error?: unknown;
  };
  /** Something went wrong in BullMQ or Redis (the distributor goes on). */
  readonly error: unknown;
}

interface DistributorRedis {
  duplicate(override?: Record<string, unknown>): { quit(): Promise<unknown> };
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  incr(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
  hget(key: string, field: string): Promise<string | null>;
}

/**
 * One owner per campaign across a fleet, on BullMQ: each campaign is one job whose `jobId` is the campaign id (so
 * offering it twice adds nothing); each worker takes campaigns while it holds fewer than its fair share; a worker
 * that dies stops renewing its locks, BullMQ's stalled check puts its campaigns back, and another worker takes each
 * over with a higher owner epoch (INCR in Redis); a {@link Lease} lets the owner check it still is one before each
 * send. See {@link createCampaignDistributor}.
 */
export class CampaignDistributor<Data = unknown> {
  readonly workerId: string;
  readonly #o: ResolvedDistributorOptions<Data>;
  readonly #redis: DistributorRedis;
  readonly #queue: CampaignQueue<Data>;
  readonly #worker: Worker;
  readonly #keys: ReturnType<typeof fleetKeys>;
  readonly #emitter = new Emitter<DistributorEvents>();
  readonly #leases = new Map<string, Lease>();
  readonly #runs = new Set<Promise<void>>();
  readonly #closing = new AbortController();
  readonly #connection: { quit(): Promise<unknown> };
  readonly #nonce = globalThis.crypto.randomUUID().slice(0, 8);
  #loop: Promise<void> | undefined;
  #seq = 0;
  /** Campaigns this worker holds or is taking (counted before any await, so the loop never takes too many). */
  #held = 0;

  constructor(options: CampaignDistributorOptions<Data>) {
    this.#o = resolveDistributorOptions(options);
    const o = this.#o;
    this.#redis = o.redis as DistributorRedis;
    this.#redis.defineCommand('fleetCheckpoint', { numberOfKeys: 2, lua: CHECKPOINT_SCRIPT });
    this.workerId = o.membership.workerId;
    this.#keys = fleetKeys(o.name);
    this.#queue = new CampaignQueue<Data>({ redis: o.redis, name: o.name });
    this.#queue.onError((error) => this.#emitter.emit('error', error));
    this.#connection = this.#redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
    // Jobs are fetched by hand (no processor), so this worker takes one only while under its fair share.
    this.#worker = new Worker(CAMPAIGN_QUEUE, null, {
      connection: this.#connection as never,
      prefix: this.#keys.queuePrefix,
      autorun: false,
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      // A stalled campaign is taken over, as often as it takes: the owner epoch fences the one that lost it.
      maxStalledCount: Number.MAX_SAFE_INTEGER,
    });
    this.#worker.on('error', (error) => this.#emitter.emit('error', error));
  }

  /** Offers a campaign to the fleet (see {@link CampaignQueue.offer}): offering one twice adds nothing. */
  offer(campaignId: string, data: Data): Promise<void> {
    return this.#queue.offer(campaignId, data);
  }

  /**
   * Starts taking campaigns (after the membership's first heartbeat, so the fair share counts this worker): every
   * `rebalanceMs`, while it holds fewer than its fair share, it takes the next waiting campaign.
   */
  async start(): Promise<void> {
    if (this.#loop !== undefined || this.#closing.signal.aborted) return;
    await this.#o.membership.start();
    await this.#worker.startStalledCheckTimer();
    this.#loop = this.#takeLoop();
  }

  /** The campaigns this worker owns now, with their leases. */
  owned(): ReadonlyMap<string, Lease> {
    return this.#leases;
  }

  /** The newest owner epoch of a campaign (0 when it was never taken). */
  async epochOf(campaignId: string): Promise<number> {
    return Number((await this.#redis.get(`${this.#keys.campaigns}epoch:${campaignId}`)) ?? 0);
  }

  /** Listens to an event; returns a way to stop listening. */
  on<K extends keyof DistributorEvents>(name: K, listener: (payload: DistributorEvents[K]) => unknown): () => void {
    return this.#emitter.on(name, listener);
  }

  /**
   * Stops taking campaigns and ends every lease (their runs see `lease.signal` abort), waits up to `timeoutMs` for
   * the runs to return, hands the campaigns not done back to the queue (another worker takes them at once), and
   * closes its connections (not the client it was given).
   */
  async close({ timeoutMs = 5_000 } = {}): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort(new Error('the campaign distributor is closing'));
    const deadline = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref?.());
    await Promise.race([Promise.allSettled([this.#loop, ...this.#runs]), deadline]);
    await Promise.race([this.#worker.close(true).catch(() => undefined), deadline]);
    await this.#queue.close();
    await this.#connection.quit().catch(() => undefined);
  }

  /** This worker's fair share now, from the queue's counts and the members last seen. */
  async #share(): Promise<number> {
    const counts = await this.#queue.counts();
    const members = this.#o.membership.members?.length ?? 1;
    return fairShare({ campaigns: counts.active + counts.waiting, members, max: this.#o.maxCampaigns });
  }

  async #takeLoop(): Promise<void> {
    const signal = this.#closing.signal;
    while (!signal.aborted) {
      try {
        if (this.#held < (await this.#share()) && !signal.aborted) {
          const token = `${this.workerId}:${this.#nonce}:${++this.#seq}`;
          this.#held++;
          const job = await this.#worker.getNextJob(token, { block: false });
          if (job !== undefined && !signal.aborted) {
            const run = this.#take(job, token).finally(() => {
              this.#held--;
              this.#runs.delete(run);
            });
            // One campaign a tick, then the share is computed again: a member that starts before the others does
            // not take their shares before it sees them (the fleet's members join within a heartbeat or two).
            this.#runs.add(run);
          } else {
            this.#held--;
            if (job !== undefined) await job.moveToWait(token).catch(() => undefined);
          }
        }
      } catch (error) {
        this.#emitter.emit('error', error);
      }
      await sleep(this.#o.rebalanceMs, signal).catch(() => undefined);
    }
  }

  async #take(job: Job, token: string): Promise<void> {
    const { campaignId, data } = job.data as { campaignId: string; data: Data };
    const epochKey = `${this.#keys.campaigns}epoch:${campaignId}`;
    const checkpoints = `${this.#keys.campaigns}checkpoint`;
    let lease: Lease;
    try {
      const epoch = await this.#redis.incr(epochKey);
      const checkpointed = await this.#redis.hget(checkpoints, campaignId);
      lease = new Lease({
        campaignId,
        epoch,
        checkpointed: checkpointed === null ? undefined : JSON.parse(checkpointed),
        redis: this.#redis,
        keys: { epoch: epochKey, lock: `${this.#keys.queuePrefix}:${CAMPAIGN_QUEUE}:${job.id}:lock`, checkpoints },
        token,
        timeoutMs: this.#o.redisTimeoutMs,
        lockDurationMs: this.#o.lockDurationMs,
        parent: this.#closing.signal,
      });
    } catch (error) {
      // Not started: back to the queue for whoever comes next (or the stalled check puts it back).
      this.#emitter.emit('error', error);
      await job.moveToWait(token).catch(() => undefined);
      return;
    }
    this.#leases.set(campaignId, lease);
    const renew = setInterval(() => {
      job.extendLock(token, this.#o.lockDurationMs).then(
        (extended) => extended === 0 && void lease.stillOwner(),
        (error: unknown) => this.#emitter.emit('error', error),
      );
    }, this.#o.lockDurationMs / 2);
    renew.unref?.();
    this.#emitter.emit('acquired', { campaignId, epoch: lease.epoch });
    let failure: unknown;
    let outcome: DistributorEvents['released']['outcome'] = 'done';
    try {
      await this.#o.run({ campaignId, data } as CampaignJob<Data>, lease);
    } catch (error) {
      failure = error;
      outcome = 'failed';
    }
    clearInterval(renew);
    // A run that returned (or threw) after its lease's signal aborted did not finish the campaign.
    const interrupted = lease.signal.aborted;
    const owner = await lease.stillOwnerForHandover();
    lease.end();
    this.#leases.delete(campaignId);
    if (!owner) outcome = 'lost';
    else if (interrupted) outcome = 'handed-back';
    try {
      if (outcome === 'done') await job.moveToCompleted('done', token, false);
      else if (outcome === 'failed') await job.moveToFailed(failure as Error, token, false);
      else if (outcome === 'handed-back') await job.moveToWait(token);
    } catch (error) {
      this.#emitter.emit('error', error);
    }
    this.#emitter.emit('released', {
      campaignId,
      epoch: lease.epoch,
      outcome,
      ...(failure === undefined ? {} : { error: failure }),
    });
  }
}

/**
 * Creates a campaign distributor; call `start()` to take campaigns and `offer()` to add them.
 *
 * @example
 * ```ts
 * const distributor = createCampaignDistributor({
 *   redis, name: 'mail', membership: budget.membership,
 *   run: async ({ campaignId }, lease) => {
 *     scheduler.registerCampaign(campaignId, { ownerEpoch: lease.epoch });
 *     for (const recipient of recipients) {
 *       if (!(await lease.stillOwner())) return; // another worker owns it now: not done here
 *       await send(recipient);
 *     }
 *   },
 * });
 * await distributor.start();
 * await distributor.offer('cmp-1', { emailsPerMinute: 40 });
 * ```
 * @throws TypeError or RangeError naming the option that is wrong.
 */
export function createCampaignDistributor<Data = unknown>(
  options: CampaignDistributorOptions<Data>,
): CampaignDistributor<Data> {
  return new CampaignDistributor(options);
}
