import { MinHeap } from '../common/MinHeap.js';

/** What the index holds of one campaign that may send: when its oldest update came, its interval, urgency. */
export interface DueEntry {
  /** When its oldest waiting update was recorded. */
  readonly oldestAt: number;
  /** Its interval before stretching (from the adaptive table). */
  readonly intervalMs: number;
  /** Due now whatever its age: a full batch, a flush, a terminal status, a legacy status owed. */
  readonly urgent: boolean;
}

/**
 * When a campaign is due: at once when urgent or when callers wait for room (`pressed`), else when its oldest update
 * has waited its interval stretched by the server's health. The one place this rule is written.
 */
export function dueAt(entry: DueEntry, stretch: number, pressed: boolean): number {
  if (entry.urgent || pressed) return Number.NEGATIVE_INFINITY;
  return entry.oldestAt + entry.intervalMs * stretch;
}

/** How to choose the campaigns of the next batch. */
export interface DueQuery {
  /** How much the server's health stretches the intervals of campaigns that are not urgent. */
  readonly stretch: number;
  /** Callers wait for room (backpressure): every campaign with updates is due, oldest first. */
  readonly pressed: boolean;
  /** The most campaigns to choose. */
  readonly limit: number;
  /** A campaign that has waited this share of its (stretched) interval rides along with due ones. */
  readonly rideAlongRatio: number;
}

/**
 * A campaign in its class's heap: `key` is its oldest update's time, `order` the version it was indexed at (the
 * index order). It holds the campaign's live entry, so telling a replaced item needs no lookup.
 */
interface HeapItem<T> {
  readonly campaignId: string;
  readonly key: number;
  readonly order: number;
  readonly live: Live<T>;
}

/** A campaign's entry, one object for its life in the index; `version` changes when it is indexed again (−1 when out). */
interface Live<T> {
  /** What `take` hands out for the campaign. */
  payload: T;
  oldestAt: number;
  intervalMs: number;
  urgent: boolean;
  version: number;
}

/**
 * The campaigns that may send (unblocked, with updates waiting), indexed by when they are due, so choosing a batch
 * costs what is due and not what exists. Urgent campaigns are kept in arrival order; the others in one heap per
 * interval, ordered by their oldest update: within a class the oldest is the first due whatever the stretch, and
 * the next due is the earliest of a few heap tops. Entries are replaced lazily (a version per campaign).
 */
export class DueIndex<T = string> {
  // Every campaign ever indexed and not forgotten: one out of the index keeps its entry (version −1), so taking a
  // batch never deletes from this large map (a delete there costs more than the rest of choosing a batch).
  readonly #live = new Map<string, Live<T>>();
  #indexed = 0;
  readonly #urgent = new Set<string>();
  readonly #classes = new Map<number, MinHeap<HeapItem<T>>>();
  #version = 0;
  #heapItems = 0;

  /** Campaigns indexed. */
  get size(): number {
    return this.#indexed;
  }

  /**
   * Indexes a campaign (or re-indexes it after a change); `payload` is what {@link take} hands out for it (its id by
   * default), so the caller need not look the campaign up again among all of them.
   */
  set(campaignId: string, entry: DueEntry, payload: T = campaignId as unknown as T): void {
    const previous = this.#live.get(campaignId);
    if (
      previous !== undefined &&
      previous.version !== -1 &&
      previous.oldestAt === entry.oldestAt &&
      previous.intervalMs === entry.intervalMs &&
      previous.urgent === entry.urgent
    ) {
      return;
    }
    const wasOut = previous !== undefined && previous.version === -1;
    const version = ++this.#version;
    const live = previous ?? { payload, oldestAt: 0, intervalMs: 0, urgent: false, version };
    live.payload = payload;
    live.oldestAt = entry.oldestAt;
    live.intervalMs = entry.intervalMs;
    live.urgent = entry.urgent;
    live.version = version;
    if (previous === undefined) this.#live.set(campaignId, live);
    if (previous === undefined || wasOut) this.#indexed++;
    if (entry.urgent) {
      this.#urgent.add(campaignId);
      return;
    }
    this.#urgent.delete(campaignId);
    this.#heapOf(entry.intervalMs).push({ campaignId, key: entry.oldestAt, order: version, live });
    this.#heapItems++;
    this.#compactIfNeeded();
  }

  /** Takes a campaign out of the index (blocked by a batch in flight, or with nothing waiting). */
  delete(campaignId: string): void {
    const live = this.#live.get(campaignId);
    if (live === undefined || live.version === -1) return;
    live.version = -1;
    this.#indexed--;
    if (live.urgent) this.#urgent.delete(campaignId);
  }

  /** Forgets a campaign for good (it finished, or was unregistered): out of the index, and its entry let go. */
  forget(campaignId: string): void {
    this.delete(campaignId);
    this.#live.delete(campaignId);
  }

  /** When the next campaign is due: −∞ if one is now, +∞ if none is indexed. */
  nextDueAt(stretch: number, pressed: boolean): number {
    if (this.#urgent.size > 0 || (pressed && this.#indexed > 0)) return Number.NEGATIVE_INFINITY;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [intervalMs, heap] of this.#classes) {
      const top = this.#top(heap);
      if (top !== undefined)
        earliest = Math.min(earliest, dueAt({ oldestAt: top.key, intervalMs, urgent: false }, stretch, false));
    }
    return earliest;
  }

  /**
   * When the oldest update of any indexed campaign was recorded, or undefined when none is indexed. Costs a few
   * heap tops and the campaigns due at once, not every campaign.
   */
  oldestAt(): number | undefined {
    let oldest = Number.POSITIVE_INFINITY;
    for (const heap of this.#classes.values()) {
      const top = this.#top(heap);
      if (top !== undefined) oldest = Math.min(oldest, top.key);
    }
    for (const campaignId of this.#urgent) oldest = Math.min(oldest, this.#live.get(campaignId)?.oldestAt ?? oldest);
    return oldest === Number.POSITIVE_INFINITY ? undefined : oldest;
  }

  /**
   * Takes the campaigns of the next batch at `now` out of the index: the urgent first, then those due (or all,
   * when pressed), most overdue first, then, if there is room, riders. Empty when none is due. The caller indexes
   * again those it did not take.
   */
  take(now: number, query: DueQuery): T[] {
    const { stretch, pressed, limit, rideAlongRatio } = query;
    const chosen: T[] = [];
    const urgent: string[] = [];
    for (const campaignId of this.#urgent) {
      if (chosen.length >= limit) break;
      urgent.push(campaignId);
      chosen.push((this.#live.get(campaignId) as Live<T>).payload);
    }
    const popped: Array<[MinHeap<HeapItem<T>>, HeapItem<T>]> = [];
    // Within a class the oldest comes first in every walk; across classes the walk merges the heap tops.
    if (pressed)
      this.#walk(
        (item) => item.key,
        () => true,
        limit,
        chosen,
        popped,
      );
    else {
      const dueAt = (item: HeapItem<T>, intervalMs: number) => item.key + intervalMs * stretch;
      this.#walk(dueAt, (at) => at <= now, limit, chosen, popped);
      if (chosen.length > 0 && rideAlongRatio < 1) {
        const ridesAt = (item: HeapItem<T>, intervalMs: number) => item.key + intervalMs * stretch * rideAlongRatio;
        this.#walk(ridesAt, (at) => at <= now, limit, chosen, popped);
      }
    }
    if (chosen.length === 0) {
      for (const [heap, item] of popped) heap.push(item);
      return chosen;
    }
    this.#heapItems -= popped.length;
    // What came off the heaps is let go through the entry it holds; the urgent by name.
    for (const [, item] of popped) {
      item.live.version = -1;
      this.#indexed--;
    }
    for (const campaignId of urgent) this.delete(campaignId);
    return chosen;
  }

  /** Takes campaigns off the heaps, earliest `at` first (a k-way merge), while `accept(at)` and there is room. */
  #walk(
    at: (item: HeapItem<T>, intervalMs: number) => number,
    accept: (at: number) => boolean,
    limit: number,
    chosen: T[],
    popped: Array<[MinHeap<HeapItem<T>>, HeapItem<T>]>,
  ): void {
    while (chosen.length < limit) {
      let best: { heap: MinHeap<HeapItem<T>>; item: HeapItem<T>; at: number } | undefined;
      for (const [intervalMs, heap] of this.#classes) {
        const item = this.#top(heap);
        if (item === undefined) continue;
        const itemAt = at(item, intervalMs);
        if (best === undefined || itemAt < best.at) best = { heap, item, at: itemAt };
      }
      if (best === undefined || !accept(best.at)) return;
      best.heap.pop();
      popped.push([best.heap, best.item]);
      chosen.push(best.item.live.payload);
    }
  }

  #top(heap: MinHeap<HeapItem<T>>): HeapItem<T> | undefined {
    for (;;) {
      const top = heap.peek();
      if (top === undefined) return undefined;
      if (top.live.version === top.order) return top;
      heap.pop();
      this.#heapItems--;
    }
  }

  #heapOf(intervalMs: number): MinHeap<HeapItem<T>> {
    let heap = this.#classes.get(intervalMs);
    if (heap === undefined) {
      // Oldest first; among equals, the one indexed first (versions rise), so campaigns take turns.
      heap = new MinHeap<HeapItem<T>>();
      this.#classes.set(intervalMs, heap);
    }
    return heap;
  }

  /** Drops replaced entries once they outnumber the live ones, so memory follows what is indexed. */
  #compactIfNeeded(): void {
    if (this.#heapItems < 1024 || this.#heapItems < 2 * this.#indexed) return;
    this.#heapItems = 0;
    for (const [intervalMs, heap] of this.#classes) {
      heap.retain((item) => item.live.version === item.order);
      if (heap.size === 0) this.#classes.delete(intervalMs);
      this.#heapItems += heap.size;
    }
  }
}
