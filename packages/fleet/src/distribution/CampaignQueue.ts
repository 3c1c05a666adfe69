import { Queue } from 'bullmq';
import { checkKnownKeys, checkName, checkObject, checkRedis } from '../common/check.js';
import { fleetKeys } from '../keys.js';

/** The BullMQ queue name of a fleet's campaigns (under the fleet's prefix `fleet:{<name>}:bull`). */
export const CAMPAIGN_QUEUE = 'campaigns';

interface DuplicableRedis {
  duplicate(override?: Record<string, unknown>): { quit(): Promise<unknown> };
}

/**
 * The fleet's campaigns as BullMQ jobs, one per campaign with `jobId` = the campaign id: whoever learns of a
 * campaign (every worker polling the main server's `ready` list, an admin) offers it, and it is one job all the same.
 */
export class CampaignQueue<Data = unknown> {
  readonly #queue: Queue;
  readonly #connection: { quit(): Promise<unknown> };

  constructor(options: { redis: object; name: string }) {
    checkObject('options', options);
    checkKnownKeys('', options, ['redis', 'name']);
    checkRedis('redis', options.redis);
    checkName('name', options.name);
    this.#connection = (options.redis as DuplicableRedis).duplicate({
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    this.#queue = new Queue(CAMPAIGN_QUEUE, {
      connection: this.#connection as never,
      prefix: fleetKeys(options.name).queuePrefix,
    });
  }

  /**
   * Offers a campaign: one job with `jobId` = `campaignId`. Offering one the queue holds already (waiting, running,
   * or done within a day) adds nothing.
   */
  async offer(campaignId: string, data: Data): Promise<void> {
    await this.#queue.add('campaign', { campaignId, data }, { jobId: campaignId });
  }

  /** Campaigns running, waiting, done and failed. */
  async counts(): Promise<{ active: number; waiting: number; completed: number; failed: number }> {
    const counts = await this.#queue.getJobCounts('active', 'waiting', 'prioritized', 'completed', 'failed');
    return {
      active: counts.active ?? 0,
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /** Listens to the queue's connection errors; returns a way to stop listening. */
  onError(listener: (error: Error) => void): () => void {
    this.#queue.on('error', listener);
    return () => void this.#queue.off('error', listener);
  }

  /** Closes the queue and its connection (not the client it was given). */
  async close(): Promise<void> {
    await this.#queue.close().catch(() => undefined);
    await this.#connection.quit().catch(() => undefined);
  }
}

/**
 * Creates the fleet's campaign queue, to offer campaigns from anywhere (a distributor has one too).
 *
 * @example
 * ```ts
 * const campaigns = createCampaignQueue({ redis, name: 'mail' });
 * await campaigns.offer('cmp-1', { emailsPerMinute: 40 });
 * ```
 * @throws TypeError naming the option that is wrong.
 */
export function createCampaignQueue<Data = unknown>(options: { redis: object; name: string }): CampaignQueue<Data> {
  return new CampaignQueue<Data>(options);
}
