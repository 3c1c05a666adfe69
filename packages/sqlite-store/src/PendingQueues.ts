import type { CampaignStatus, PendingSummary } from '@scope/scheduler';

/**
 * One campaign's pending updates as the outbox holds them in memory: its event rows (ids and JSON, oldest first,
 * `head` the first not yet taken), its pending status, and its newest seq. The file has the same rows.
 */
export interface CampaignQueue {
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

/** The pending rows of every campaign, in memory, so reads never touch the file. */
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

  /** Appends a row; returns the campaign's pending count. */
  append(campaignId: string, id: number, body: string, recordedAt: number): number {
    const queue = this.queue(campaignId);
    queue.ids.push(id);
    queue.bodies.push(body);
    queue.recordedAt.push(recordedAt);
    this.#size++;
    return queue.ids.length - queue.head;
  }

  peek(campaignId: string): PendingSummary {
    const queue = this.#queues.get(campaignId);
    if (queue === undefined) return NOTHING;
    return { pendingEvents: queue.ids.length - queue.head, status: queue.status, oldestAt: oldestOf(queue) };
  }

  take(campaignId: string, maxEvents: number, withStatus: boolean): TakenRows {
    const queue = this.#queues.get(campaignId);
    if (queue === undefined) return { ids: [], bodies: [], status: undefined };
    const end = Math.min(queue.ids.length, queue.head + maxEvents);
    const ids = queue.ids.slice(queue.head, end);
    const bodies = queue.bodies.slice(queue.head, end);
    this.#size -= ids.length;
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
    if (queue !== undefined) this.#size -= queue.ids.length - queue.head;
    this.#queues.delete(campaignId);
    if (this.#lastId === campaignId) this.#lastId = this.#lastQueue = undefined;
  }
}

function oldestOf(queue: CampaignQueue): number | undefined {
  const eventAt = queue.head < queue.ids.length ? queue.recordedAt[queue.head] : undefined;
  if (eventAt === undefined) return queue.statusAt;
  return queue.statusAt === undefined ? eventAt : Math.min(eventAt, queue.statusAt);
}
