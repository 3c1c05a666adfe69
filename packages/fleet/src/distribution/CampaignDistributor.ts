import { type Job, Queue, WaitingError, Worker } from 'bullmq';
import { Emitter } from '../common/Emitter.js';
import { fleetKeys } from '../keys.js';
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
  /** This worker's run of a campaign ended: `done`, `lost` (another worker owns it now), or `failed` (run threw). */
  readonly released: {
    readonly campaignId: string;
    readonly epoch: number;
    readonly outcome: 'done' | 'lost' | 'failed';
    readonly error?: unknown;
  };
  /** Something went wrong in BullMQ or Redis (the distributor goes on). */
  readonly error: unknown;
}

interface DuplicableRedis {
  duplicate(override?: Record<string, unknown>): DuplicableRedis & { quit(): Promise<unknown> };
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  incr(key: string): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  status?: string;
}

const QUEUE = 'campaigns';

/**
 * One owner per campaign across a fleet, on BullMQ: each campaign is one job whose `jobId` is the campaign id (so
 * offering it twice is a no-op), each worker takes its fair share, a worker that dies loses its lock and another
 * takes the campaign over with a higher owner epoch (INCR in Redis), and a {@link Lease} lets the owner check it
 * still is one before each send. See {@link createCampaignDistributor}.
 */
export class CampaignDistributor<Data = unknown> {
  readonly workerId: string;
  readonly #o: ResolvedDistributorOptions<Data>;
  readonly #redis: DuplicableRedis;
  readonly #queue: Queue;
  readonly #worker: Worker;
  readonly #keys: ReturnType<typeof fleetKeys>;
  readonly #emitter = new Emitter<DistributorEvents>();
  readonly #leases = new Map<string, Lease>();
  readonly #closing = new AbortController();
  readonly #connections: { quit(): Promise<unknown> }[] = [];
  #rebalance: ReturnType<typeof setInterval> | undefined;

  constructor(options: CampaignDistributorOptions<Data>) {
    this.#o = resolveDistributorOptions(options);
    const o = this.#o;
    this.#redis = o.redis as DuplicableRedis;
    this.#redis.defineCommand('fleetCheckpoint', { numberOfKeys: 2, lua: CHECKPOINT_SCRIPT });
    this.workerId = o.membership.workerId;
    this.#keys = fleetKeys(o.name);
    const connection = () => {
      const duplicate = this.#redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
      this.#connections.push(duplicate);
      return duplicate as never;
    };
    this.#queue = new Queue(QUEUE, { connection: connection(), prefix: this.#keys.queuePrefix });
    this.#queue.on('error', (error) => this.#emitter.emit('error', error));
    this.#worker = new Worker(QUEUE, (job, token) => this.#process(job, token), {
      connection: connection(),
      prefix: this.#keys.queuePrefix,
      autorun: false,
      concurrency: 1,
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      // A stalled campaign is taken over, as often as it takes: the owner epoch fences the one that lost it.
      maxStalledCount: Number.MAX_SAFE_INTEGER,
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 7 * 86_400 },
    });
    this.#worker.on('error', (error) => this.#emitter.emit('error', error));
  }

  /**
   * Offers a campaign to the fleet: one job with `jobId` = the campaign id. Offering one already offered (by any
   * worker; running or done within a day) does nothing. Answers whether it was new.
   */
  async offer(campaignId: string, data: Data): Promise<boolean> {
    const job = await this.#queue.add('campaign', { campaignId, data }, { jobId: campaignId });
    return job.data?.campaignId === campaignId && job.timestamp >= Date.now() - 60_000 && !(await job.isCompleted());
  }

  /** Starts taking campaigns (after the membership's first heartbeat, so the fair share counts this worker). */
  async start(): Promise<void> {
    await this.#o.membership.start();
    await this.#adjust();
    this.#rebalance = setInterval(() => void this.#adjust(), this.#o.rebalanceMs);
    this.#rebalance.unref?.();
    void this.#worker.run().catch((error: unknown) => this.#emitter.emit('error', error));
  }

  /** The campaigns this worker owns now, with their leases. */
  owned(): ReadonlyMap<string, Lease> {
    return this.#leases;
  }

  /** The newest owner epoch of a campaign (0 when it was never taken). */
  async epochOf(campaignId: string): Promise<number> {
    const value = await (this.#redis as unknown as { get(key: string): Promise<string | null> }).get(
      `${this.#keys.campaigns}epoch:${campaignId}`,
    );
    return Number(value ?? 0);
  }

  /** Listens to an event; returns a way to stop listening. */
  on<K extends keyof DistributorEvents>(name: K, listener: (payload: DistributorEvents[K]) => unknown): () => void {
    return this.#emitter.on(name, listener);
  }

  /**
   * Stops taking campaigns and ends every lease (their runs see `lease.signal` abort), waits up to `timeoutMs` for
   * the runs to return, and closes BullMQ's connections. A campaign not done stays in the queue: another worker takes
   * it over once the lock lapses.
   */
  async close({ timeoutMs = 5_000 } = {}): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort(new Error('the campaign distributor is closing'));
    clearInterval(this.#rebalance);
    const closed = Promise.allSettled([this.#worker.close(), this.#queue.close()]);
    const deadline = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref?.());
    await Promise.race([closed, deadline]);
    await Promise.allSettled(this.#connections.map((connection) => connection.quit()));
  }

  async #adjust(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    try {
      const counts = await this.#queue.getJobCounts('active', 'waiting', 'prioritized');
      const campaigns = (counts.active ?? 0) + (counts.waiting ?? 0) + (counts.prioritized ?? 0);
      const members = this.#o.membership.members?.length ?? 1;
      const share = fairShare({ campaigns, members, max: this.#o.maxCampaigns });
      if (this.#worker.concurrency !== share) this.#worker.concurrency = share;
    } catch (error) {
      this.#emitter.emit('error', error);
    }
  }

  async #process(job: Job, token: string | undefined): Promise<void> {
    const { campaignId, data } = job.data as { campaignId: string; data: Data };
    const epochKey = `${this.#keys.campaigns}epoch:${campaignId}`;
    const checkpoints = `${this.#keys.campaigns}checkpoint`;
    const epoch = await this.#redis.incr(epochKey);
    const checkpointed = await this.#redis.hget(checkpoints, campaignId);
    const lease = new Lease({
      campaignId,
      epoch,
      checkpointed: checkpointed === null ? undefined : JSON.parse(checkpointed),
      redis: this.#redis,
      keys: { epoch: epochKey, lock: `${this.#keys.queuePrefix}:${QUEUE}:${job.id}:lock`, checkpoints },
      token: token ?? '',
      timeoutMs: this.#o.redisTimeoutMs,
      lockDurationMs: this.#o.lockDurationMs,
      parent: this.#closing.signal,
    });
    this.#leases.set(campaignId, lease);
    this.#emitter.emit('acquired', { campaignId, epoch });
    let outcome: 'done' | 'lost' | 'failed' | 'closing' = 'done';
    let failure: unknown;
    try {
      await this.#o.run({ campaignId, data } as CampaignJob<Data>, lease);
    } catch (error) {
      failure = error;
      outcome = 'failed';
    }
    if (this.#closing.signal.aborted && !lease.lost) outcome = 'closing';
    else if (lease.lost || !(await lease.stillOwner())) outcome = this.#closing.signal.aborted ? 'closing' : 'lost';
    lease.end();
    if (this.#leases.get(campaignId) === lease) this.#leases.delete(campaignId);
    if (outcome === 'closing' && (await lease.stillOwnerForHandover())) {
      // Handed back at once, rather than when the lock lapses: another worker takes it over now.
      await job.moveToWait(token).catch((error: unknown) => this.#emitter.emit('error', error));
    }
    this.#emitter.emit('released', {
      campaignId,
      epoch,
      outcome: outcome === 'closing' ? 'lost' : outcome,
      ...(failure === undefined ? {} : { error: failure }),
    });
    if (outcome === 'failed') throw failure;
    // Not ours any more (or handed back): BullMQ must not complete or fail it.
    if (outcome !== 'done') throw new WaitingError();
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
 *       if (!(await lease.stillOwner())) return; // another worker owns it now
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
