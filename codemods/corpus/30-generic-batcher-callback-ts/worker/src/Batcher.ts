export interface BatcherOptions<T> {
  maxSize: number;
  maxWaitMs: number;
  onFlush: (items: T[]) => Promise<void>;
}

/** Collects items and hands them to onFlush when there are maxSize of them, or every maxWaitMs. */
export class Batcher<T> {
  private items: T[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: BatcherOptions<T>) {
    this.timer = setInterval(() => void this.flush(), options.maxWaitMs);
  }

  add(item: T): Promise<void> {
    this.items.push(item);
    return this.items.length >= this.options.maxSize ? this.flush() : Promise.resolve();
  }

  flush(): Promise<void> {
    if (this.items.length > 0) {
      const items = this.items;
      this.items = [];
      this.chain = this.chain.then(() => this.options.onFlush(items));
    }
    return this.chain;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
