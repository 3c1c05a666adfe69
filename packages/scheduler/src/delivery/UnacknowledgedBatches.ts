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
 * The unacknowledged batches, oldest first, and per campaign in the order their updates were taken. A campaign
 * with one is blocked; a batch may go only when, for each of its campaigns, it is the oldest and none is in
 * flight, so a campaign's updates can never arrive out of order.
 */
export class UnacknowledgedBatches {
  readonly #all: Unacknowledged[] = [];
  readonly #byCampaign = new Map<string, Unacknowledged[]>();
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

  add(entry: Unacknowledged): void {
    this.#all.push(entry);
    this.#ids.add(entry.batch.batchId);
    for (const update of entry.batch.campaigns) this.#queueOf(update.campaignId).push(entry);
    this.#events += countEvents(entry.batch);
  }

  /** Puts `parts` where `entry` was, in the global order and in each campaign's order. */
  replace(entry: Unacknowledged, parts: readonly Unacknowledged[]): void {
    this.#all.splice(this.#all.indexOf(entry), 1, ...parts);
    this.#ids.delete(entry.batch.batchId);
    for (const part of parts) this.#ids.add(part.batch.batchId);
    this.#events += parts.reduce((n, part) => n + countEvents(part.batch), 0) - countEvents(entry.batch);
    for (const update of entry.batch.campaigns) {
      const queue = this.#queueOf(update.campaignId);
      const mine = parts.filter((part) => part.batch.campaigns.some((c) => c.campaignId === update.campaignId));
      queue.splice(queue.indexOf(entry), 1, ...mine);
      if (queue.length === 0) this.#byCampaign.delete(update.campaignId);
    }
  }

  remove(entry: Unacknowledged): void {
    const index = this.#all.indexOf(entry);
    if (index === -1) return;
    this.#all.splice(index, 1);
    this.#ids.delete(entry.batch.batchId);
    this.#events -= countEvents(entry.batch);
    for (const update of entry.batch.campaigns) {
      const queue = this.#queueOf(update.campaignId);
      queue.splice(queue.indexOf(entry), 1);
      if (queue.length === 0) this.#byCampaign.delete(update.campaignId);
    }
  }

  /** Whether the campaign has a batch not yet acknowledged. */
  blocks(campaignId: string): boolean {
    return this.#byCampaign.has(campaignId);
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
    return entry.batch.campaigns.every((update) => this.#byCampaign.get(update.campaignId)?.[0] === entry);
  }

  #queueOf(campaignId: string): Unacknowledged[] {
    let queue = this.#byCampaign.get(campaignId);
    if (queue === undefined) {
      queue = [];
      this.#byCampaign.set(campaignId, queue);
    }
    return queue;
  }
}

function countEvents(batch: Batch): number {
  let count = 0;
  for (const update of batch.campaigns) count += update.events.length;
  return count;
}
