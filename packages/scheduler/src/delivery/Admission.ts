import type { Emitter } from '../common/Emitter.js';
import type { SchedulerEvents } from '../events.js';

interface Waiting {
  readonly campaignId: string;
  readonly event: unknown;
  readonly admit: () => void;
  readonly resolve: () => void;
}

/**
 * Backpressure: while the events held reach `limit`, new events wait here, in order, and their `record()`
 * promise settles when they are let in. Nothing is dropped and memory stays bounded by what callers await.
 */
export class Admission {
  readonly #limit: number;
  readonly #emitter: Emitter<SchedulerEvents>;
  readonly #queue: Waiting[] = [];
  readonly #onPressure: () => void;

  /** `onPressure` runs when the first caller starts to wait, so the scheduler makes room. */
  constructor(limit: number, emitter: Emitter<SchedulerEvents>, onPressure: () => void) {
    this.#limit = limit;
    this.#emitter = emitter;
    this.#onPressure = onPressure;
  }

  /** Events waiting to be let in. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Whether a new event must wait: the store is full, or others wait before it (order is kept). */
  mustWait(held: number): boolean {
    return this.#queue.length > 0 || held >= this.#limit;
  }

  /** Queues an event; `admit` stores it when room is made. */
  wait(campaignId: string, event: unknown, admit: () => void, held: number): Promise<void> {
    const first = this.#queue.length === 0;
    const promise = new Promise<void>((resolve) => this.#queue.push({ campaignId, event, admit, resolve }));
    if (first) {
      this.#emitter.emit('backpressure', { active: true, pendingEvents: held, limit: this.#limit });
      this.#onPressure();
    }
    return promise;
  }

  /** Lets waiting events in while there is room (`held` is the count before, and it grows by one each). */
  release(held: number): void {
    if (this.#queue.length === 0) return;
    let room = this.#limit - held;
    while (room > 0 && this.#queue.length > 0) {
      const next = this.#queue.shift() as Waiting;
      next.admit();
      next.resolve();
      room--;
    }
    if (this.#queue.length === 0) {
      this.#emitter.emit('backpressure', { active: false, pendingEvents: this.#limit - room, limit: this.#limit });
    }
  }

  /** Removes and returns the waiting events of a campaign (at close), settling their promises. */
  takeFor(campaignId: string): unknown[] {
    const taken: unknown[] = [];
    for (let i = 0; i < this.#queue.length; ) {
      const item = this.#queue[i] as Waiting;
      if (item.campaignId !== campaignId) {
        i++;
        continue;
      }
      this.#queue.splice(i, 1);
      item.resolve();
      taken.push(item.event);
    }
    return taken;
  }
}
