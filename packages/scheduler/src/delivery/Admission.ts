import type { Emitter } from '../common/Emitter.js';
import type { SchedulerEvents } from '../events.js';
import type { RecipientEvent } from '../types.js';

interface Waiting {
  readonly campaignId: string;
  readonly event: RecipientEvent;
  readonly admit: () => void;
  readonly resolve: () => void;
}

/**
 * Backpressure: while the events held reach `limit`, new events wait here, in order, and their `record()`
 * promise settles when they are let in. Nothing is dropped and memory stays bounded by what callers await.
 * A queue with a moving head: waiting and letting in are O(1) per event.
 */
export class Admission {
  readonly #limit: number;
  readonly #emitter: Emitter<SchedulerEvents>;
  #queue: Waiting[] = [];
  #head = 0;
  readonly #perCampaign = new Map<string, number>();
  readonly #onPressure: () => void;

  /** `onPressure` runs when the first caller starts to wait, so the scheduler makes room. */
  constructor(limit: number, emitter: Emitter<SchedulerEvents>, onPressure: () => void) {
    this.#limit = limit;
    this.#emitter = emitter;
    this.#onPressure = onPressure;
  }

  /** Events waiting to be let in. */
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Events of one campaign waiting to be let in. */
  waitingFor(campaignId: string): number {
    return this.#perCampaign.get(campaignId) ?? 0;
  }

  /** Whether a new event must wait: the store is full, or others wait before it (order is kept). */
  mustWait(held: number): boolean {
    return this.waiting > 0 || held >= this.#limit;
  }

  /** Queues an event; `admit` stores it when room is made. */
  wait(campaignId: string, event: RecipientEvent, admit: () => void, held: number): Promise<void> {
    const first = this.waiting === 0;
    const promise = new Promise<void>((resolve) => this.#queue.push({ campaignId, event, admit, resolve }));
    this.#perCampaign.set(campaignId, this.waitingFor(campaignId) + 1);
    if (first) {
      this.#emitter.emit('backpressure', { active: true, pendingEvents: held, limit: this.#limit });
      this.#onPressure();
    }
    return promise;
  }

  /** Lets waiting events in while there is room (`held` is the count before, and it grows by one each). */
  release(held: number): void {
    if (this.waiting === 0) return;
    let room = this.#limit - held;
    while (room > 0 && this.waiting > 0) {
      const next = this.#shift();
      next.admit();
      next.resolve();
      room--;
    }
    if (this.waiting === 0) {
      this.#emitter.emit('backpressure', { active: false, pendingEvents: this.#limit - room, limit: this.#limit });
    }
  }

  /** Removes every waiting event (at close), settling their promises; returns them per campaign, in order. */
  drain(): Map<string, RecipientEvent[]> {
    const byCampaign = new Map<string, RecipientEvent[]>();
    while (this.waiting > 0) {
      const item = this.#shift();
      let list = byCampaign.get(item.campaignId);
      if (list === undefined) {
        list = [];
        byCampaign.set(item.campaignId, list);
      }
      list.push(item.event);
      item.resolve();
    }
    return byCampaign;
  }

  #shift(): Waiting {
    const item = this.#queue[this.#head] as Waiting;
    this.#queue[this.#head] = undefined as unknown as Waiting;
    this.#head++;
    const left = (this.#perCampaign.get(item.campaignId) ?? 1) - 1;
    if (left === 0) this.#perCampaign.delete(item.campaignId);
    else this.#perCampaign.set(item.campaignId, left);
    // Drop the consumed head once it is most of the array, so memory follows what waits.
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
