/** What a {@link MinHeap} orders by: `key`, then `order` among equal keys. */
export interface HeapKeyed {
  readonly key: number;
  readonly order: number;
}

/** A binary min-heap by `key`, then `order`; O(log n) push and pop, comparisons inlined for the hot path. */
export class MinHeap<T extends HeapKeyed> {
  #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent] as T;
      if (above.key < item.key || (above.key === item.key && above.order < item.order)) break;
      items[i] = above;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    const size = items.length;
    if (size === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const left = items[child] as T;
      const right = items[child + 1];
      let smaller = left;
      if (right !== undefined && (right.key < left.key || (right.key === left.key && right.order < left.order))) {
        child++;
        smaller = right;
      }
      if (last.key < smaller.key || (last.key === smaller.key && last.order < smaller.order)) break;
      items[i] = smaller;
      i = child;
    }
    items[i] = last;
    return top;
  }

  /** Keeps only the items `keep` says to, in O(n). */
  retain(keep: (item: T) => boolean): void {
    const kept = this.#items.filter(keep);
    this.#items = [];
    for (const item of kept) this.push(item);
  }
}
