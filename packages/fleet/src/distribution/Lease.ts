import { withTimeout } from '../common/sleep.js';
import { LeaseLostError } from '../errors/LeaseLostError.js';

/** The fenced writes a lease makes, with the script that makes them registered. */
interface LeaseRedis {
  status?: string;
  mget(...keys: string[]): Promise<(string | null)[]>;
  fleetCheckpoint(epochKey: string, checkpoints: string, epoch: number, field: string, value: string): Promise<number>;
}

/**
 * Fenced write of a checkpoint: only while the owner epoch in Redis is still the lease's, so a worker that lost the
 * campaign cannot overwrite what the new owner resumes from.
 */
export const CHECKPOINT_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
  return 1
end
return 0
`;

/**
 * This worker's hold on one campaign: its owner epoch (raised in Redis at every take-over), a check to call before
 * each send, a fenced checkpoint to resume from, and a signal that aborts once the lease is known to be lost.
 */
export class Lease {
  readonly campaignId: string;
  /** This owner's epoch: give it to `scheduler.registerCampaign(id, { ownerEpoch })`. */
  readonly epoch: number;
  /** What the previous owner checkpointed (undefined for a campaign's first owner, or one that never did). */
  readonly checkpointed: unknown;
  /** Aborts (with a {@link LeaseLostError}) when a check finds the lease lost, or when the distributor closes. */
  readonly signal: AbortSignal;
  readonly #controller: AbortController;
  readonly #redis: LeaseRedis;
  readonly #keys: { epoch: string; lock: string; checkpoints: string };
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #graceMs: number;
  #confirmedAt: number;

  constructor(options: {
    campaignId: string;
    epoch: number;
    checkpointed: unknown;
    redis: object;
    keys: { epoch: string; lock: string; checkpoints: string };
    token: string;
    timeoutMs: number;
    lockDurationMs: number;
    parent: AbortSignal;
  }) {
    this.campaignId = options.campaignId;
    this.epoch = options.epoch;
    this.checkpointed = options.checkpointed;
    this.#redis = options.redis as LeaseRedis;
    this.#keys = options.keys;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs;
    // While Redis cannot be asked, a lock confirmed this recently cannot have gone to anyone else.
    this.#graceMs = Math.floor(options.lockDurationMs / 4);
    this.#confirmedAt = Date.now();
    this.#controller = new AbortController();
    this.signal = AbortSignal.any([this.#controller.signal, options.parent]);
  }

  /** Whether a check found the lease lost (or it was ended). */
  get lost(): boolean {
    return this.signal.aborted;
  }

  /**
   * Whether this worker still owns the campaign: its epoch is still the newest and its BullMQ lock still held (one
   * MGET). Call it before each send. While Redis cannot be reached it answers true only within a quarter of the
   * lock's duration since the last confirmation, then false. Once false, always false (and `signal` aborts).
   */
  async stillOwner(): Promise<boolean> {
    if (this.signal.aborted) return false;
    if (this.#redis.status !== undefined && this.#redis.status !== 'ready') return this.#withinGrace();
    let epoch: string | null | undefined;
    let lock: string | null | undefined;
    try {
      [epoch, lock] = await withTimeout(
        this.#redis.mget(this.#keys.epoch, this.#keys.lock),
        this.#timeoutMs,
        'a lease check',
      );
    } catch {
      return this.#withinGrace();
    }
    if (epoch === String(this.epoch) && lock === this.#token) {
      this.#confirmedAt = Date.now();
      return true;
    }
    this.#lose();
    return false;
  }

  /** Like {@link stillOwner}, but throws a {@link LeaseLostError} instead of answering false. */
  async assertOwner(): Promise<void> {
    if (!(await this.stillOwner())) throw new LeaseLostError(this.campaignId, this.epoch);
  }

  /**
   * Saves a checkpoint (JSON) for whoever owns the campaign next, only while this worker still owns it (fenced by the
   * epoch). Answers whether it was saved; false means the lease is lost.
   */
  async checkpoint(value: unknown): Promise<boolean> {
    if (this.signal.aborted) return false;
    const saved = await withTimeout(
      this.#redis.fleetCheckpoint(
        this.#keys.epoch,
        this.#keys.checkpoints,
        this.epoch,
        this.campaignId,
        JSON.stringify(value),
      ),
      this.#timeoutMs,
      'a checkpoint',
    );
    if (saved !== 1) this.#lose();
    return saved === 1;
  }

  /** Whether the epoch and lock are still this lease's, even after it was ended (to hand the campaign back). */
  async stillOwnerForHandover(): Promise<boolean> {
    try {
      const [epoch, lock] = await withTimeout(
        this.#redis.mget(this.#keys.epoch, this.#keys.lock),
        this.#timeoutMs,
        'a lease check',
      );
      return epoch === String(this.epoch) && lock === this.#token;
    } catch {
      return false;
    }
  }

  /** Ends the lease (the campaign was done, or given up). */
  end(reason?: unknown): void {
    if (!this.#controller.signal.aborted)
      this.#controller.abort(reason ?? new LeaseLostError(this.campaignId, this.epoch));
  }

  #withinGrace(): boolean {
    if (Date.now() - this.#confirmedAt <= this.#graceMs) return true;
    return false;
  }

  #lose(): void {
    this.end(new LeaseLostError(this.campaignId, this.epoch));
  }
}
