import type { CampaignStatus, PendingSummary } from '@scope/scheduler';

/**
 * One campaign's pending updates as the outbox holds them: first the rows a process before left in the file
 * (only counted here: they are read when taken), then the rows recorded since (ids and JSON, oldest first, `head`
 * the first not yet taken); its pending status, and its newest seq.
 */
export interface CampaignQueue {
  /** Rows left in the file at open and not taken yet; those taken so far end at id `diskAfterId`. */
  onDisk: number;
  diskOldestAt: number | undefined;
  diskAfterId: number;
  readonly ids: number[];
  readonly bodies: string[];
  readonly recordedAt: number[];
  head: number;
  status: CampaignStatus | undefined;
  statusAt: number | undefined;
  lastSeq: number;
  finished: boolean;
}

/** What `take` removed from memory: the rows' ids and bodies, and the status if asked. */
export interface TakenRows {
  readonly ids: number[];
  readonly bodies: string[];
  readonly status: CampaignStatus | undefined;
}

const NOTHING: PendingSummary = { pendingEvents: 0, status: undefined, oldestAt: undefined };

/** Reads up to `limit` rows of a campaign left in the file, with ids above `afterId`, in order. */
export type DiskReader = (campaignId: string, afterId: number, limit: number) => [number, string][];

/** The pending rows of every campaign: counted in memory, so only taking rows left in the file reads it. */
export class PendingQueues {
  readonly #queues = new Map<string, CampaignQueue>();
  #size = 0;
  #lastId: string | undefined;
  #lastQueue: CampaignQueue | undefined;

  get size(): number {
    return this.#size;
  }

  entries(): IterableIterator<[string, CampaignQueue]> {
    return this.#queues.entries();
  }

  get(campaignId: string): CampaignQueue | undefined {
    return this.#queues.get(campaignId);
  }

  /** The campaign's queue, made if it has none. */
  queue(campaignId: string): CampaignQueue {
    if (campaignId === this.#lastId) return this.#lastQueue as CampaignQueue;
    let queue = this.#queues.get(campaignId);
    if (queue === undefined) {
      queue = {
        onDisk: 0,
        diskOldestAt: undefined,
        diskAfterId: 0,
        ids: [],
        bodies: [],
        recordedAt: [],
        head: 0,
        status: undefined,
        statusAt: undefined,
        lastSeq: 0,
        finished: false,
      };
      this.#queues.set(campaignId, queue);
    }
    this.#lastId = campaignId;
    this.#lastQueue = queue;
    return queue;
  }

  /** Counts the rows a process before left in the file for the campaign. */
  addFromDisk(campaignId: string, count: number, oldestAt: number): void {
    const queue = this.queue(campaignId);
    queue.onDisk += count;
    queue.diskOldestAt = Math.min(queue.diskOldestAt ?? oldestAt, oldestAt);
    this.#size += count;
  }

  /** Appends a row; returns the campaign's pending count. */
  append(campaignId: string, id: number, body: string, recordedAt: number): number {
    const queue = this.queue(campaignId);
    queue.ids.push(id);
    queue.bodies.push(body);
    queue.recordedAt.push(recordedAt);
    this.#size++;
    return queue.onDisk + queue.ids.length - queue.head;
  }

  peek(campaignId: string): PendingSummary {
    const queue = this.#queues.get(campaignId);
    if (queue === undefined) return NOTHING;
    return { pendingEvents: pendingOf(queue), status: queue.status, oldestAt: oldestOf(queue) };
  }

  take(campaignId: string, maxEvents: number, withStatus: boolean, readDisk: DiskReader): TakenRows {
    const queue = this.#queues.get(campaignId);
    if (queue === undefined) return { ids: [], bodies: [], status: undefined };
    const ids: number[] = [];
    const bodies: string[] = [];
    if (queue.onDisk > 0 && maxEvents > 0) {
      const rows = readDisk(campaignId, queue.diskAfterId, Math.min(queue.onDisk, maxEvents));
      for (const [id, body] of rows) {
        ids.push(id);
        bodies.push(body);
      }
      // Fewer rows than counted would mean the file changed under us: what is not there is not pending.
      const taken = rows.length === 0 ? queue.onDisk : rows.length;
      queue.onDisk -= taken;
      this.#size -= taken;
      queue.diskAfterId = rows.at(-1)?.[0] ?? queue.diskAfterId;
      if (queue.onDisk === 0) queue.diskOldestAt = undefined;
    }
    const end = Math.min(queue.ids.length, queue.head + maxEvents - ids.length);
    for (let i = queue.head; i < end; i++) {
      ids.push(queue.ids[i] as number);
      bodies.push(queue.bodies[i] as string);
    }
    this.#size -= end - queue.head;
    queue.head = end;
    if (queue.head === queue.ids.length) {
      queue.ids.length = 0;
      queue.bodies.length = 0;
      queue.recordedAt.length = 0;
      queue.head = 0;
    } else if (queue.head > 4096 && queue.head * 2 > queue.ids.length) {
      queue.ids.splice(0, queue.head);
      queue.bodies.splice(0, queue.head);
      queue.recordedAt.splice(0, queue.head);
      queue.head = 0;
    }
    const status = withStatus ? queue.status : undefined;
    if (withStatus) {
      queue.status = undefined;
      queue.statusAt = undefined;
    }
    return { ids, bodies, status };
  }

  forget(campaignId: string): void {
    const queue = this.#queues.get(campaignId);
    if (queue !== undefined) this.#size -= pendingOf(queue);
    this.#queues.delete(campaignId);
    if (this.#lastId === campaignId) this.#lastId = this.#lastQueue = undefined;
  }
}

function pendingOf(queue: CampaignQueue): number {
  return queue.onDisk + queue.ids.length - queue.head;
}

/** The earliest time among what is pending: rows in the file keep their earliest (never later than the truth). */
function oldestOf(queue: CampaignQueue): number | undefined {
  const eventAt =
    queue.onDisk > 0 ? queue.diskOldestAt : queue.head < queue.ids.length ? queue.recordedAt[queue.head] : undefined;
  if (eventAt === undefined) return queue.statusAt;
  return queue.statusAt === undefined ? eventAt : Math.min(eventAt, queue.statusAt);
}
