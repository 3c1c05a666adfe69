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

/** The heap of the campaigns of one interval. */
interface IntervalClass<T> {
  readonly intervalMs: number;
  readonly heap: MinHeap<HeapItem<T>>;
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
  // One heap per interval; a handful, so a list (walked for every campaign sent) rather than a map.
  #classes: Array<IntervalClass<T>> = [];
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
    for (const { intervalMs, heap } of this.#classes) {
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
    for (const { heap } of this.#classes) {
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
    // What came off the heaps, each heap then its item: put back if nothing is due, else let go.
    const popped: Array<MinHeap<HeapItem<T>> | HeapItem<T>> = [];
    // Within a class the oldest comes first in every walk; across classes the walk merges the heap tops.
    if (pressed) this.#walk(0, 1, Number.POSITIVE_INFINITY, limit, chosen, popped);
    else {
      this.#walk(stretch, 1, now, limit, chosen, popped);
      if (chosen.length > 0 && rideAlongRatio < 1) this.#walk(stretch, rideAlongRatio, now, limit, chosen, popped);
    }
    if (chosen.length === 0) {
      for (let i = 0; i < popped.length; i += 2) (popped[i] as MinHeap<HeapItem<T>>).push(popped[i + 1] as HeapItem<T>);
      return chosen;
    }
    this.#heapItems -= popped.length / 2;
    // What came off the heaps is let go through the entry it holds; the urgent by name.
    for (let i = 1; i < popped.length; i += 2) {
      (popped[i] as HeapItem<T>).live.version = -1;
      this.#indexed--;
    }
    for (const campaignId of urgent) this.delete(campaignId);
    return chosen;
  }

  /**
   * Takes campaigns off the heaps, earliest first (a k-way merge of the heap tops), while they are due by `until`
   * and there is room: an item's time is its oldest update plus its interval × `stretch` × `share` (with
   * `stretch` 0, its oldest update: oldest first). No allocation per pick: this runs for every campaign sent.
   */
  #walk(
    stretch: number,
    share: number,
    until: number,
    limit: number,
    chosen: T[],
    popped: Array<MinHeap<HeapItem<T>> | HeapItem<T>>,
  ): void {
    const classes = this.#classes;
    while (chosen.length < limit) {
      let bestHeap: MinHeap<HeapItem<T>> | undefined;
      let bestItem: HeapItem<T> | undefined;
      let bestAt = Number.POSITIVE_INFINITY;
      for (let c = 0; c < classes.length; c++) {
        const { intervalMs, heap } = classes[c] as IntervalClass<T>;
        const item = this.#top(heap);
        if (item === undefined) continue;
        const itemAt = item.key + intervalMs * stretch * share;
        if (bestItem === undefined || itemAt < bestAt) {
          bestHeap = heap;
          bestItem = item;
          bestAt = itemAt;
        }
      }
      if (bestHeap === undefined || bestItem === undefined || bestAt > until) return;
      bestHeap.pop();
      popped.push(bestHeap, bestItem);
      chosen.push(bestItem.live.payload);
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
    let heap = this.#classes.find((c) => c.intervalMs === intervalMs)?.heap;
    if (heap === undefined) {
      // Oldest first; among equals, the one indexed first (versions rise), so campaigns take turns.
      heap = new MinHeap<HeapItem<T>>();
      this.#classes.push({ intervalMs, heap });
    }
    return heap;
  }

  /** Drops replaced entries once they outnumber the live ones, so memory follows what is indexed. */
  #compactIfNeeded(): void {
    if (this.#heapItems < 1024 || this.#heapItems < 2 * this.#indexed) return;
    this.#heapItems = 0;
    for (const { heap } of this.#classes) {
      heap.retain((item) => item.live.version === item.order);
      this.#heapItems += heap.size;
    }
    this.#classes = this.#classes.filter(({ heap }) => heap.size > 0);
  }
}
