import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTurns } from '../test/virtual-time.js';
import { createThrottle, isThrottledCallError } from './index.js';

/** A call: `awaited` says whether its caller waits on the promise at once, or only looks once all is over. */
type Call = {
  kind: 'call';
  gapMs: number;
  fn: 0 | 1;
  key: string;
  durationMs: number;
  fails: boolean;
  awaited: boolean;
};
type MarkSent = { kind: 'markSent'; gapMs: number };
type Args = [key: string, values: number[]];

const gap = fc.integer({ min: 0, max: 2_500 });
const call = fc.record({
  kind: fc.constant('call' as const),
  gapMs: gap,
  fn: fc.constantFrom(0 as const, 1 as const),
  key: fc.constantFrom('a', 'b', 'c'),
  durationMs: fc.integer({ min: 0, max: 3_000 }),
  fails: fc.boolean(),
  awaited: fc.boolean(),
});
const step = fc.oneof(
  { weight: 9, arbitrary: call },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('markSent' as const), gapMs: gap }) },
);
const MAX_DURATION = 3_000;

let unhandled: unknown[];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  vi.useRealTimers();
});

/** Two wrapped functions on one throttle, each merging the values of a key; records every start. */
function setUp(minIntervalMs: number, byValue: Map<number, Call>) {
  const unawaitedReports: number[][] = [];
  const throttle = createThrottle({
    minIntervalMs,
    onUnawaitedError: (_error, calls) => void unawaitedReports.push(calls.flatMap((args) => (args as Args)[1])),
  });
  const starts: Array<{ at: number; byThrottle: boolean }> = [];
  const invocations: Array<{ values: number[]; failed: boolean }> = [];
  const fns = [0, 1].map((fnIndex) =>
    throttle.wrap(
      async (_key: string, values: number[]) => {
        starts.push({ at: Date.now(), byThrottle: true });
        const failed = values.some((value) => byValue.get(value)?.fails);
        invocations.push({ values, failed });
        await new Promise((resolve) => setTimeout(resolve, byValue.get(values[0] as number)?.durationMs));
        if (failed) throw new Error(`fn ${fnIndex} failed`);
        return values;
      },
      { key: (key) => key, merge: ([key, a], [, b]) => [key, [...a, ...b]] },
    ),
  );
  return { throttle, fns, starts, invocations, unawaitedReports };
}

describe('createThrottle (properties)', () => {
  it('settles every caller once, with its value delivered or carried by the error, and spaces every start', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 2_000 }),
        async (steps: Array<Call | MarkSent>, minIntervalMs) => {
          vi.setSystemTime(0);
          const byValue = new Map<number, Call>();
          const { throttle, fns, starts, invocations, unawaitedReports } = setUp(minIntervalMs, byValue);
          const settlements = new Map<number, number>();
          const carried: number[] = [];
          const lookLater: Array<() => Promise<void>> = [];

          for (const [value, item] of steps.entries()) {
            await vi.advanceTimersByTimeAsync(item.gapMs);
            if (item.kind === 'markSent') {
              throttle.markSent();
              starts.push({ at: Date.now(), byThrottle: false });
              continue;
            }
            byValue.set(value, item);
            const promise = (fns[item.fn] as (typeof fns)[number])(item.key, [value]);
            const look = () =>
              promise.then(
                (values) => {
                  settlements.set(value, (settlements.get(value) ?? 0) + 1);
                  expect(values).toContain(value);
                  carried.push(value);
                },
                (error: unknown) => {
                  settlements.set(value, (settlements.get(value) ?? 0) + 1);
                  if (!isThrottledCallError<Args>(error)) throw error;
                  expect((error.cause as Error).message).toMatch(/failed/);
                  expect(error.calls).toContainEqual([item.key, [value]]);
                  expect(error.args[1]).toEqual(error.calls.flatMap((args) => args[1]));
                  expect(error.args[1]).toContain(value);
                  carried.push(value);
                },
              );
            if (item.awaited) {
              const looking = look();
              lookLater.push(() => looking);
            } else lookLater.push(look);
          }
          const flushing = throttle.flush();
          await vi.runAllTimersAsync();
          await flushing;
          await Promise.all(lookLater.map((later) => later()));

          const passed = [...byValue.keys()];
          // Every caller settled exactly once, and every argument passed was delivered or carried by an error.
          expect([...settlements.values()].every((count) => count === 1)).toBe(true);
          expect([...settlements.keys()].sort((a, b) => a - b)).toEqual(passed);
          expect(carried.sort((a, b) => a - b)).toEqual(passed);
          // The function saw each argument once.
          expect(invocations.flatMap(({ values }) => values).sort((a, b) => a - b)).toEqual(passed);
          // What was reported as unawaited is exactly the values of callers that did not wait and whose call failed.
          const failedValues = new Set(invocations.filter(({ failed }) => failed).flatMap(({ values }) => values));
          const expectedUnawaited = passed.filter((v) => failedValues.has(v) && !(byValue.get(v) as Call).awaited);
          expect(unawaitedReports.flat().sort((a, b) => a - b)).toEqual(expectedUnawaited);
          // A call the throttle starts waits minIntervalMs after whatever came before it; only the
          // caller's own markSent may come sooner.
          for (let i = 1; i < starts.length; i++) {
            const { at, byThrottle } = starts[i] as (typeof starts)[number];
            if (byThrottle)
              expect(at - (starts[i - 1] as (typeof starts)[number]).at).toBeGreaterThanOrEqual(minIntervalMs);
          }
          expect(throttle.pending).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
    await nextTurns();
    expect(unhandled).toEqual([]);
  });

  it('resolves flush() once every call made before it has settled, however many arrive after it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 2_000 }),
        async (calls, flushIndexSeed, minIntervalMs) => {
          vi.setSystemTime(0);
          const flushIndex = flushIndexSeed % calls.length;
          const byValue = new Map<number, Call>();
          const { throttle, fns } = setUp(minIntervalMs, byValue);
          const settled: boolean[] = [];
          let flush: { deadline: number; resolvedAt?: number; before: number; allSettled?: boolean } | undefined;

          for (const [value, item] of calls.entries()) {
            await vi.advanceTimersByTimeAsync(item.gapMs);
            if (value === flushIndex) {
              // Deferred calls start in order, the first within one interval, each next one interval later.
              const state = { deadline: Date.now() + throttle.pending * minIntervalMs + MAX_DURATION, before: value };
              flush = state;
              void throttle.flush().then(() => {
                Object.assign(state, {
                  resolvedAt: Date.now(),
                  allSettled: settled.slice(0, state.before).every(Boolean),
                });
              });
            }
            byValue.set(value, item);
            const mark = () => {
              settled[value] = true;
            };
            (fns[item.fn] as (typeof fns)[number])(item.key, [value]).then(mark, mark);
          }
          await vi.runAllTimersAsync();

          expect(flush?.resolvedAt).toBeDefined();
          expect(flush?.resolvedAt).toBeLessThanOrEqual(flush?.deadline as number);
          expect(flush?.allSettled).toBe(true);
          expect(settled.filter(Boolean)).toHaveLength(calls.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
