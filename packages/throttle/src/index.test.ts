import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createThrottle, MIN_UPDATE_INTERVAL, type Throttle } from './index.js';

const concat = ([id, a]: [string, number[]], [, b]: [string, number[]]): [string, number[]] => [id, [...a, ...b]];

/** Flushes the throttle while driving the fake clock, as real time would. */
async function flushInVirtualTime(throttle: Throttle): Promise<void> {
  const flushing = throttle.flush();
  await vi.runAllTimersAsync();
  await flushing;
}

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

  it.each([
    [{ minIntervalMs: -1 }, RangeError, 'Expected `minIntervalMs` to be a finite number >= 0, got `-1` (number)'],
    [{ minIntervalMs: Number.POSITIVE_INFINITY }, RangeError, '`minIntervalMs`'],
    [{ minIntervalMs: '15000' }, TypeError, 'Expected `minIntervalMs` to be a number, got `15000` (string)'],
    [{ minIntervalMs: Number.NaN }, TypeError, '`minIntervalMs`'],
    [{ minInterval: 100 }, TypeError, 'Unknown option `minInterval`'],
    [42, TypeError, 'Expected `options` to be an object'],
  ])('refuses bad options %o', (options, type, message) => {
    expect(() => createThrottle(options as never)).toThrow(type);
    expect(() => createThrottle(options as never)).toThrow(message);
  });

  it('refuses a wrap of something that is not a function, naming it', () => {
    const throttle = createThrottle();
    expect(() => throttle.wrap('post' as never)).toThrow('Expected `fn` to be a function, got `post` (string)');
    expect(() => throttle.wrap(() => 1, { key: 'id' as never })).toThrow('Expected wrap option `key` to be a function');
    expect(() => throttle.wrap(() => 1, { merge: 1 as never })).toThrow(
      'Expected wrap option `merge` to be a function',
    );
    expect(() => throttle.wrap(() => 1, { keys: () => 1 } as never)).toThrow('Unknown wrap option `keys`');
  });

  it('has a typed public API', () => {
    const throttle = createThrottle({ minIntervalMs: 10 });
    const post = throttle.wrap(async (id: string, n: number) => `${id}:${n}`);
    expectTypeOf(post).toEqualTypeOf<(id: string, n: number) => Promise<string>>();
    expectTypeOf(throttle).toEqualTypeOf<Throttle>();
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
        starts.push(Date.now() - 1_000_000);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return key;
      },
      { key: (key) => key },
    );
    void post('a');
    void post('b');
    void post('c');
    expect(throttle.pending).toBe(2);
    let flushed = false;
    const flushing = throttle.flush().then(() => {
      flushed = true;
    });
    await vi.advanceTimersByTimeAsync(2050);
    expect(flushed).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await flushing;
    expect(flushed).toBe(true);
    expect(starts).toEqual([0, 1000, 2000]);
    expect(throttle.pending).toBe(0);
  });

  it('still resolves when a deferred call fails (the failure goes to its callers)', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap(async (n: number) => {
      if (n > 1) throw new Error('nope');
    });
    void post(1);
    const failed = post(2).catch((error: Error) => error.message);
    await flushInVirtualTime(throttle);
    await expect(failed).resolves.toBe('nope');
  });

  it('waits for calls deferred while it was waiting', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const fn = vi.fn();
    const post = throttle.wrap(fn, { key: (k: string) => k });
    void post('a');
    void post('b');
    const flushing = throttle.flush();
    await vi.advanceTimersByTimeAsync(500);
    void post('c');
    await vi.runAllTimersAsync();
    await flushing;
    expect(fn.mock.calls).toEqual([['a'], ['b'], ['c']]);
    expect(Date.now() - 1_000_000).toBe(2000);
  });

  it('keeps the timer referenced only while someone awaits flush()', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap((_n: number) => undefined);
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    void post(1);
    void post(2);
    const timer = setTimeoutSpy.mock.results.at(-1)?.value as { hasRef(): boolean };
    expect(timer.hasRef()).toBe(false);
    const flushing = throttle.flush();
    expect(timer.hasRef()).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    await flushing;
    setTimeoutSpy.mockRestore();
  });
});
