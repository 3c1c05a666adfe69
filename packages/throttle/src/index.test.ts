import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { flushInVirtualTime } from '../test/virtual-time.js';
import {
  createThrottle,
  type FlushInsideCallError,
  isFlushInsideCallError,
  isThrottledCallError,
  MIN_UPDATE_INTERVAL,
  type Throttle,
  ThrottledCallError,
  type ThrottleOptions,
} from './index.js';

const concat = ([id, a]: [string, number[]], [, b]: [string, number[]]): [string, number[]] => [id, [...a, ...b]];

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createThrottle', () => {
  it('uses the seed’s 15 s interval by default', () => {
    expect(MIN_UPDATE_INTERVAL).toBe(15_000);
    const throttle = createThrottle();
    throttle.markSent();
    vi.advanceTimersByTime(14_999);
    expect(throttle.canSendUpdate()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(throttle.canSendUpdate()).toBe(true);
  });

  it('has a typed public API', () => {
    const throttle = createThrottle({ minIntervalMs: 10 });
    const post = throttle.wrap(async (id: string, n: number) => `${id}:${n}`);
    expectTypeOf(post).toEqualTypeOf<(id: string, n: number) => Promise<string>>();
    expectTypeOf(throttle).toEqualTypeOf<Throttle>();
    expectTypeOf<ThrottleOptions['onUnawaitedError']>().toEqualTypeOf<
      ((error: ThrottledCallError, unawaitedCalls: ReadonlyArray<readonly unknown[]>) => void) | undefined
    >();
    const error: unknown = new ThrottledCallError(new Error('x'), ['c1', 1], [['c1', 1]]);
    if (isThrottledCallError<[string, number]>(error)) {
      expectTypeOf(error.args).toEqualTypeOf<[string, number]>();
      expectTypeOf(error.calls).toEqualTypeOf<readonly [string, number][]>();
    }
    expectTypeOf(isFlushInsideCallError).guards.toEqualTypeOf<FlushInsideCallError>();
  });
});

describe('canSendUpdate / markSent', () => {
  it('behave as the seed’s quick fix: true at first, false for minIntervalMs after markSent', () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    expect(throttle.canSendUpdate()).toBe(true);
    throttle.markSent();
    expect(throttle.canSendUpdate()).toBe(false);
    vi.advanceTimersByTime(999);
    expect(throttle.canSendUpdate()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(throttle.canSendUpdate()).toBe(true);
  });

  it('share the window with wrapped calls', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const fn = vi.fn();
    const post = throttle.wrap(fn);
    throttle.markSent();
    void post('a');
    expect(fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn).toHaveBeenCalledWith('a');
    expect(throttle.canSendUpdate()).toBe(false);
  });

  it('push back a deferred call when markSent is called while it waits', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const fn = vi.fn();
    const post = throttle.wrap(fn);
    void post(1);
    void post(2);
    await vi.advanceTimersByTimeAsync(600);
    throttle.markSent();
    await vi.advanceTimersByTimeAsync(999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenLastCalledWith(2);
  });
});

describe('wrap', () => {
  it('runs the first call at once and defers a call inside the window to its end', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const starts: number[] = [];
    const post = throttle.wrap((value: string) => {
      starts.push(Date.now());
      return value.toUpperCase();
    });
    await expect(post('a')).resolves.toBe('A');
    const second = post('b');
    expect(starts).toEqual([1_000_000]);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(second).resolves.toBe('B');
    expect(starts).toEqual([1_000_000, 1_001_000]);
  });

  it('merges calls inside the window into one trailing call, newest wins by default', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const fn = vi.fn((status: string) => status);
    const setStatus = throttle.wrap(fn);
    void setStatus('running 1');
    const calls = [setStatus('running 2'), setStatus('running 3'), setStatus('completed')];
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn.mock.calls).toEqual([['running 1'], ['completed']]);
    // Every merged caller sees the result of the call that carried its arguments.
    await expect(Promise.all(calls)).resolves.toEqual(['completed', 'completed', 'completed']);
  });

  it('keeps every argument with a concatenating merge', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const fn = vi.fn((_id: string, _events: number[]) => undefined);
    const postEvents = throttle.wrap(fn, { key: (id) => id, merge: concat });
    void postEvents('c1', [1]);
    void postEvents('c1', [2, 3]);
    void postEvents('c1', [4]);
    await flushInVirtualTime(throttle);
    expect(fn.mock.calls).toEqual([
      ['c1', [1]],
      ['c1', [2, 3, 4]],
    ]);
  });

  it('keeps one trailing call per key, run oldest first, still spaced', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const starts: Array<[number, string, number[]]> = [];
    const postEvents = throttle.wrap(
      (id: string, events: number[]) => {
        starts.push([Date.now() - 1_000_000, id, events]);
      },
      { key: (id) => id, merge: concat },
    );
    void postEvents('a', [1]);
    void postEvents('b', [2]);
    void postEvents('a', [3]);
    void postEvents('c', [4]);
    void postEvents('b', [5]);
    await flushInVirtualTime(throttle);
    expect(starts).toEqual([
      [0, 'a', [1]],
      [1000, 'b', [2, 5]],
      [2000, 'a', [3]],
      [3000, 'c', [4]],
    ]);
  });

  it('spaces every function wrapped by one throttle, and keeps their calls apart', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const starts: Array<[number, string]> = [];
    const events = throttle.wrap((id: string) => void starts.push([Date.now() - 1_000_000, `events ${id}`]), {
      key: (id) => id,
    });
    const status = throttle.wrap((id: string) => void starts.push([Date.now() - 1_000_000, `status ${id}`]), {
      key: (id) => id,
    });
    void events('c1');
    void status('c1');
    void events('c1');
    void status('c2');
    await flushInVirtualTime(throttle);
    expect(starts).toEqual([
      [0, 'events c1'],
      [1000, 'status c1'],
      [2000, 'events c1'],
      [3000, 'status c2'],
    ]);
  });

  it('keeps the spacing between starts even when a call takes longer than the window', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const starts: number[] = [];
    const post = throttle.wrap(async (n: number) => {
      starts.push(Date.now() - 1_000_000);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      return n;
    });
    const results = [post(1), post(2)];
    await vi.advanceTimersByTimeAsync(5000);
    await expect(Promise.all(results)).resolves.toEqual([1, 2]);
    expect(starts).toEqual([0, 1000]);
  });

  it('rejects the callers of a call that fails, and goes on with the next', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap(async (n: number) => {
      if (n === 2) throw new Error('server said 500');
      return n;
    });
    const first = post(1);
    const second = post(2);
    const secondCheck = expect(second).rejects.toThrow('server said 500');
    await vi.advanceTimersByTimeAsync(1000);
    await secondCheck;
    await expect(first).resolves.toBe(1);
    const third = post(3);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(third).resolves.toBe(3);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap(() => {
      throw new Error('boom');
    });
    await expect(post()).rejects.toThrow('boom');
  });

  it('rejects the caller whose merge fails and keeps what was deferred', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const fn = vi.fn();
    const post = throttle.wrap(fn, { merge: (_a: number[], b: number[]) => (b[0] === 3 ? (7 as never) : b) });
    void post(1);
    void post(2);
    await expect(post(3)).rejects.toThrow('Expected wrap option `merge` to return an array of arguments, got number');
    await flushInVirtualTime(throttle);
    expect(fn.mock.calls).toEqual([[1], [2]]);
  });

  it('calls the function with the caller’s `this`', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const client = {
      base: '/api',
      post: throttle.wrap(function (this: { base: string }, path: string) {
        return `${this.base}${path}`;
      }),
    };
    await expect(client.post('/a')).resolves.toBe('/api/a');
    const later = client.post('/b');
    await vi.advanceTimersByTimeAsync(1000);
    await expect(later).resolves.toBe('/api/b');
  });

  it('with minIntervalMs 0 runs every call at once', async () => {
    const throttle = createThrottle({ minIntervalMs: 0 });
    const fn = vi.fn();
    const post = throttle.wrap(fn);
    await Promise.all([post(1), post(2), post(3)]);
    expect(fn).toHaveBeenCalledTimes(3);
  });
});
