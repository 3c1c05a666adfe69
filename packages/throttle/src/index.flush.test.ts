import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushInVirtualTime, settledFlag } from '../test/virtual-time.js';
import { createThrottle, FlushInsideCallError, isFlushInsideCallError, type ThrottledCallError } from './index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const elapsed = () => Date.now() - 1_000_000;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('flush', () => {
  it('resolves at once when nothing is deferred or running', async () => {
    const throttle = createThrottle();
    await expect(throttle.flush()).resolves.toBeUndefined();
  });

  it('resolves only once every deferred call has run and settled, still spaced', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const starts: number[] = [];
    const post = throttle.wrap(
      async (key: string) => {
        starts.push(elapsed());
        await sleep(100);
        return key;
      },
      { key: (key) => key },
    );
    void post('a');
    void post('b');
    void post('c');
    expect(throttle.pending).toBe(2);
    const flushed = settledFlag(throttle.flush());
    await vi.advanceTimersByTimeAsync(2099);
    expect(flushed()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushed()).toBe(true);
    expect(starts).toEqual([0, 1000, 2000]);
    expect(throttle.pending).toBe(0);
  });

  it('still resolves when a deferred call fails (the failure goes to its callers)', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap(async (n: number) => {
      if (n > 1) throw new Error('nope');
    });
    void post(1);
    const failed = post(2).catch((error: ThrottledCallError) => (error.cause as Error).message);
    await flushInVirtualTime(throttle);
    await expect(failed).resolves.toBe('nope');
  });

  it('resolves under steady arrivals, once what was pending at its call has run', async () => {
    // The reported case: a call every 5 s to a function taking 6 s, 15 s apart. Before, flush() never resolved.
    const throttle = createThrottle({ minIntervalMs: 15_000 });
    const starts: number[] = [];
    const post = throttle.wrap(async (n: number) => {
      starts.push(elapsed());
      await sleep(6000);
      return n;
    });
    let n = 0;
    void post(n++);
    const arrivals = setInterval(() => void post(n++), 5000);
    await vi.advanceTimersByTimeAsync(22_000);
    // Started at 0 and 15 s; the call of 20 s waits for 30 s; the one at 25 s will merge into it.
    expect(starts).toEqual([0, 15_000]);
    const flushed = settledFlag(throttle.flush());
    await vi.advanceTimersByTimeAsync(36_000 - 22_000 - 1);
    expect(flushed()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushed()).toBe(true);
    expect(starts).toEqual([0, 15_000, 30_000]);
    expect(throttle.pending).toBe(1); // the call of 35 s, which the flush did not wait for
    clearInterval(arrivals);
  });

  it('waits for a later call only when it merged into a call the flush waits for', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const fn = vi.fn();
    const post = throttle.wrap(fn, { key: (key: string, _n: number) => key });
    void post('a', 1);
    void post('b', 1);
    const flushed = settledFlag(throttle.flush());
    await vi.advanceTimersByTimeAsync(500);
    void post('b', 2); // merged into the waiting call of b
    void post('c', 1); // a call of its own, after the flush
    await vi.advanceTimersByTimeAsync(500);
    expect(flushed()).toBe(true);
    expect(fn.mock.calls).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(throttle.pending).toBe(1);
    await flushInVirtualTime(throttle);
    expect(fn.mock.calls.at(-1)).toEqual(['c', 1]);
    expect(elapsed()).toBe(2000);
  });

  it('keeps the timer referenced only while someone awaits flush()', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap((_key: string) => undefined, { key: (key) => key });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    void post('a');
    void post('b');
    const timer = setTimeoutSpy.mock.results.at(-1)?.value as { hasRef(): boolean };
    expect(timer.hasRef()).toBe(false);
    const flushed = settledFlag(throttle.flush());
    expect(timer.hasRef()).toBe(true);
    void post('c'); // deferred after the flush: nobody waits for it
    await vi.advanceTimersByTimeAsync(1000);
    expect(flushed()).toBe(true);
    const next = setTimeoutSpy.mock.results.at(-1)?.value as { hasRef(): boolean };
    expect(throttle.pending).toBe(1);
    expect(next.hasRef()).toBe(false);
  });
});

describe('flush inside a call of the same throttle', () => {
  it.each([
    ['before its first await', false],
    ['after an await', true],
  ])('rejects with FlushInsideCallError %s instead of deadlocking', async (_when, awaitFirst) => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const inner: Array<Promise<void>> = [];
    const report = throttle.wrap(async (n: number) => {
      if (awaitFirst) await sleep(10);
      const flushing = throttle.flush();
      inner.push(flushing);
      await flushing;
      return n;
    });
    const direct = report(1).catch((error: ThrottledCallError) => error.cause);
    const deferred = report(2).catch((error: ThrottledCallError) => error.cause);
    await vi.advanceTimersByTimeAsync(1010);
    const settled = inner.map(settledFlag);
    await vi.advanceTimersByTimeAsync(0);
    expect(settled.map((flag) => flag())).toEqual([true, true]);
    for (const cause of [await direct, await deferred]) {
      expect(cause).toBeInstanceOf(FlushInsideCallError);
      expect(isFlushInsideCallError(cause)).toBe(true);
      expect((cause as Error).message).toMatch(/^flush\(\) was called from inside a call .*deadlock/);
    }
  });

  it('works as usual from a continuation the call left behind, once the call has ended', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let later: Promise<void> | undefined;
    const post = throttle.wrap((n: number) => {
      // Runs in the first call's async context, but after that call has returned.
      if (n === 1)
        void gate.then(() => {
          later = throttle.flush();
        });
      return n;
    });
    await post(1);
    void post(2);
    open();
    await vi.advanceTimersByTimeAsync(0);
    const flushed = settledFlag(later as Promise<void>);
    await vi.advanceTimersByTimeAsync(999);
    expect(flushed()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushed()).toBe(true);
    await expect(later).resolves.toBeUndefined();
  });

  it('lets a call flush another throttle', async () => {
    const other = createThrottle({ minIntervalMs: 1000 });
    const otherPost = other.wrap((_n: number) => undefined);
    void otherPost(1);
    void otherPost(2);
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap(async () => {
      await other.flush();
      return 'flushed the other';
    });
    const result = post();
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toBe('flushed the other');
  });
});
