import type { Batch } from '../types.js';

/** A batch taken out of the store and not yet acknowledged: in flight, or waiting to be tried again. */
export interface Unacknowledged {
  batch: Batch;
  /** Requests made with it so far. */
  attempt: number;
  /** Of those, answers that looked like success but acknowledged nothing. */
  invalidAnswers: number;
  /** The earliest it may be sent (again). */
  notBefore: number;
  inFlight: boolean;
  /** Kept by the store (see {@link Outbox}): it may be sent. */
  sealed: boolean;
}

/**
 * The unacknowledged batches, oldest first, and per campaign in the order their updates were taken. A campaign's
 * queue is an array the campaign holds (handed to {@link add}), so adding a batch looks nothing up among all
 * campaigns; a campaign with a batch in its queue is blocked. A batch may go only when, for each of its campaigns,
 * it is the oldest and none is in flight, so a campaign's updates can never arrive out of order.
 */
export class UnacknowledgedBatches {
  readonly #all: Unacknowledged[] = [];
  // Each batch's campaigns' queues, in the order of its campaigns.
  readonly #queues = new Map<Unacknowledged, Unacknowledged[][]>();
  readonly #ids = new Set<string>();
  #events = 0;

  /** Events held in unacknowledged batches. */
  get events(): number {
    return this.#events;
  }

  get size(): number {
    return this.#all.length;
  }

  [Symbol.iterator](): IterableIterator<Unacknowledged> {
    return this.#all[Symbol.iterator]();
  }

  /** Whether a batch with this id is not yet acknowledged. */
  has(batchId: string): boolean {
    return this.#ids.has(batchId);
  }

  /** Adds a batch; `queues[i]` is the queue held by its i-th campaign. */
  add(entry: Unacknowledged, queues: readonly Unacknowledged[][]): void {
    if (queues.length !== entry.batch.campaigns.length) throw new Error('Expected a queue for each campaign');
    this.#all.push(entry);
    this.#ids.add(entry.batch.batchId);
    this.#queues.set(entry, [...queues]);
    for (const queue of queues) queue.push(entry);
    this.#events += countEvents(entry.batch);
  }

  /** Puts `parts` where `entry` was, in the global order and in each campaign's order. */
  replace(entry: Unacknowledged, parts: readonly Unacknowledged[]): void {
    const queues = this.#queues.get(entry);
    if (queues === undefined) return;
    this.#all.splice(this.#all.indexOf(entry), 1, ...parts);
    this.#ids.delete(entry.batch.batchId);
    this.#queues.delete(entry);
    const queueOf = new Map(entry.batch.campaigns.map((update, i) => [update.campaignId, queues[i]]));
    for (const part of parts) {
      this.#ids.add(part.batch.batchId);
      this.#queues.set(
        part,
        part.batch.campaigns.map((update) => queueOf.get(update.campaignId) as Unacknowledged[]),
      );
    }
    this.#events += parts.reduce((n, part) => n + countEvents(part.batch), 0) - countEvents(entry.batch);
    entry.batch.campaigns.forEach((update, i) => {
      const queue = queues[i] as Unacknowledged[];
      const mine = parts.filter((part) => part.batch.campaigns.some((c) => c.campaignId === update.campaignId));
      queue.splice(queue.indexOf(entry), 1, ...mine);
    });
  }

  remove(entry: Unacknowledged): void {
    const queues = this.#queues.get(entry);
    if (queues === undefined) return;
    this.#all.splice(this.#all.indexOf(entry), 1);
    this.#ids.delete(entry.batch.batchId);
    this.#queues.delete(entry);
    this.#events -= countEvents(entry.batch);
    for (const queue of queues) queue.splice(queue.indexOf(entry), 1);
  }

  /** The oldest batch that may be sent at `now`, if any. */
  nextReady(now: number): Unacknowledged | undefined {
    return this.#all.find((entry) => entry.notBefore <= now && this.#mayGo(entry));
  }

  /** The earliest time a waiting batch may be sent (+∞ if none may). */
  nextReadyAt(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.#all) if (this.#mayGo(entry)) earliest = Math.min(earliest, entry.notBefore);
    return earliest;
  }

  #mayGo(entry: Unacknowledged): boolean {
    if (entry.inFlight) return false;
    return (this.#queues.get(entry) as Unacknowledged[][]).every((queue) => queue[0] === entry);
  }
}

function countEvents(batch: Batch): number {
  let count = 0;
  for (const update of batch.campaigns) count += update.events.length;
  return count;
}
