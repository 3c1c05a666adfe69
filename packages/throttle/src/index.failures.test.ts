import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushInVirtualTime, nextTurns } from '../test/virtual-time.js';
import { createThrottle, isThrottledCallError, ThrottledCallError } from './index.js';

type Events = [campaignId: string, events: number[]];
const concat = ([id, a]: Events, [, b]: Events): Events => [id, [...a, ...b]];
const serverError = new Error('server said 500');

let unhandled: unknown[];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** What a promise settled with, as a value; the caller waits on it from the start. */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('a call that fails', () => {
  it('rejects every caller merged into it with one ThrottledCallError carrying every argument', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const postEvents = throttle.wrap(
      async (_id: string, events: number[]) => {
        if (events.length > 1) throw serverError;
      },
      { key: (id) => id, merge: concat },
    );
    await postEvents('c1', [1]);
    const second = outcome(postEvents('c1', [2]));
    const third = outcome(postEvents('c1', [3, 4]));
    await flushInVirtualTime(throttle);

    const { error } = (await second) as { error: ThrottledCallError<Events> };
    expect((await third) as { error: unknown }).toEqual({ error });
    expect(error).toBeInstanceOf(ThrottledCallError);
    expect(isThrottledCallError(error)).toBe(true);
    expect(error.name).toBe('ThrottledCallError');
    expect(error.cause).toBe(serverError);
    expect(error.message).toBe('A throttled call carrying the arguments of 2 call(s) failed: server said 500');
    expect(error.args).toEqual(['c1', [2, 3, 4]]);
    expect(error.calls).toEqual([
      ['c1', [2]],
      ['c1', [3, 4]],
    ]);
  });

  it.each([
    ['direct', false],
    ['deferred', true],
  ])('rejects the same way when it was %s', async (_kind, deferred) => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap((n: number) => {
      if (n > 0) throw serverError;
    });
    if (deferred) await post(0);
    const failed = outcome(post(1));
    await flushInVirtualTime(throttle);
    const { error } = (await failed) as { error: ThrottledCallError };
    expect(error).toBeInstanceOf(ThrottledCallError);
    expect(error.cause).toBe(serverError);
    expect(error.args).toEqual([1]);
    expect(error.calls).toEqual([[1]]);
  });

  it('carries a thrown value that is not an Error, and names it in the message', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap(() => Promise.reject(Object.assign(Object.create(null), { status: 503 })));
    const error = (await post().catch((e: unknown) => e)) as ThrottledCallError;
    expect(error.cause).toEqual({ status: 503 });
    expect(error.message).toBe('A throttled call carrying the arguments of 1 call(s) failed: [object Object]');
  });

  it('rejects a caller whose key throws with its own arguments, and keeps what was deferred', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const fn = vi.fn();
    const keyError = new Error('no campaign id');
    const post = throttle.wrap(fn, {
      key: (id: string | undefined) => {
        if (id === undefined) throw keyError;
        return id;
      },
    });
    void post('a');
    void post('b');
    const error = (await post(undefined).catch((e: unknown) => e)) as ThrottledCallError;
    expect(error).toBeInstanceOf(ThrottledCallError);
    expect(error.cause).toBe(keyError);
    expect(error.calls).toEqual([[undefined]]);
    await flushInVirtualTime(throttle);
    expect(fn.mock.calls).toEqual([['a'], ['b']]);
  });

  it('settles every caller, and the next deferred call still runs', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap(
      async (key: string) => {
        if (key === 'b') throw serverError;
        return key;
      },
      { key: (key) => key },
    );
    const results = ['a', 'b', 'b', 'c'].map((key) => outcome(post(key)));
    await flushInVirtualTime(throttle);
    const settled = await Promise.all(results);
    expect(settled.map((result) => ('value' in result ? result.value : 'error'))).toEqual(['a', 'error', 'error', 'c']);
  });
});

describe('a failed call nobody awaits', () => {
  it.each([
    ['direct', false],
    ['deferred', true],
  ])('is never an unhandled rejection, and is reported to onUnawaitedError when %s', async (_kind, deferred) => {
    const onUnawaitedError = vi.fn();
    const throttle = createThrottle({ minIntervalMs: 1000, onUnawaitedError });
    const post = throttle.wrap(
      async (_id: string, events: number[]) => {
        if (events.includes(2)) throw serverError;
      },
      { key: (id) => id, merge: concat },
    );
    if (deferred) void post('c1', [1]);
    void post('c1', [2]); // a legacy worker that does not await its updates
    if (deferred) void post('c1', [3]);
    await flushInVirtualTime(throttle);
    await nextTurns();

    expect(unhandled).toEqual([]);
    expect(onUnawaitedError).toHaveBeenCalledTimes(1);
    const [error, unawaitedCalls] = onUnawaitedError.mock.calls[0] as [ThrottledCallError, unknown[]];
    expect(error.cause).toBe(serverError);
    const expected = deferred
      ? [
          ['c1', [2]],
          ['c1', [3]],
        ]
      : [['c1', [2]]];
    expect(unawaitedCalls).toEqual(expected);
    expect(error.calls).toEqual(expected);
  });

  it('still rejects for a caller that awaits it later', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000, onUnawaitedError: () => undefined });
    const post = throttle.wrap(() => Promise.reject(serverError));
    const early = post();
    await nextTurns();
    await expect(early).rejects.toMatchObject({ name: 'ThrottledCallError', cause: serverError });
    expect(unhandled).toEqual([]);
  });

  it('reports only the callers that did not wait, with the error the others got', async () => {
    const onUnawaitedError = vi.fn();
    const throttle = createThrottle({ minIntervalMs: 1000, onUnawaitedError });
    const post = throttle.wrap(
      async (_id: string, events: number[]) => {
        if (events.length > 1) throw serverError;
      },
      { key: (id) => id, merge: concat },
    );
    await post('c1', [1]);
    const awaited = post('c1', [2]).catch((error: unknown) => error);
    void post('c1', [3]);
    await flushInVirtualTime(throttle);
    expect(onUnawaitedError).toHaveBeenCalledWith(await awaited, [['c1', [3]]]);
  });

  it('is not reported when every caller awaits right after calling, even a function that throws at once', async () => {
    const onUnawaitedError = vi.fn();
    const throttle = createThrottle({ minIntervalMs: 0, onUnawaitedError });
    const post = throttle.wrap((n: number) => {
      throw new Error(`boom ${n}`);
    });
    await expect(post(1)).rejects.toThrow('boom 1');
    await expect(Promise.all([post(2), post(3)])).rejects.toThrow('boom 2');
    const results = await Promise.allSettled([post(4)]);
    expect(results[0]?.status).toBe('rejected');
    await nextTurns();
    expect(onUnawaitedError).not.toHaveBeenCalled();
    expect(unhandled).toEqual([]);
  });

  it('emits one process warning by default, naming what was not delivered', async () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const throttle = createThrottle({ minIntervalMs: 1000 });
    const post = throttle.wrap((_n: number) => Promise.reject(serverError));
    void post(1);
    void post(2);
    void post(3);
    await flushInVirtualTime(throttle);
    expect(emitWarning).toHaveBeenCalledTimes(2);
    expect(emitWarning).toHaveBeenLastCalledWith(
      'A throttled call carrying the arguments of 2 call(s) failed: server said 500',
      expect.objectContaining({ type: 'ThrottledCallError', detail: expect.stringContaining('2 call(s)') }),
    );
    expect(unhandled).toEqual([]);
  });

  it('turns an onUnawaitedError that throws into a process warning, never a crash', async () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const throttle = createThrottle({
      minIntervalMs: 1000,
      onUnawaitedError: () => {
        throw new Error('logger down');
      },
    });
    void throttle.wrap(() => Promise.reject(serverError))();
    await flushInVirtualTime(throttle);
    await nextTurns();
    expect(emitWarning).toHaveBeenCalledWith('onUnawaitedError threw: Error: logger down');
    expect(unhandled).toEqual([]);
  });
});

describe('the arguments a failure carries', () => {
  it('are each caller’s as it passed them, even when merge changes the waiting arguments in place', async () => {
    const throttle = createThrottle({ minIntervalMs: 1000, onUnawaitedError: () => undefined });
    const post = throttle.wrap(
      (_id: string, events: number[]) => {
        if (events.length > 1) throw serverError;
      },
      {
        key: (id) => id,
        merge: (previous, next) => {
          previous[1] = [...previous[1], ...next[1]];
          return previous;
        },
      },
    );
    await post('c1', [0]);
    const first = post('c1', [1]).catch((error: ThrottledCallError) => error);
    void post('c1', [2]);
    await flushInVirtualTime(throttle);
    const error = (await first) as ThrottledCallError;
    expect(error.args).toEqual(['c1', [1, 2]]);
    expect(error.calls).toEqual([
      ['c1', [1]],
      ['c1', [2]],
    ]);
  });
});
