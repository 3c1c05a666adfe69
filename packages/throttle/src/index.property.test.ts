import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from './index.js';

type Call = { kind: 'call'; gapMs: number; fn: 0 | 1; key: string; durationMs: number; fails: boolean };
type MarkSent = { kind: 'markSent'; gapMs: number };

const gap = fc.integer({ min: 0, max: 2_500 });
const step = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      gapMs: gap,
      fn: fc.constantFrom(0 as const, 1 as const),
      key: fc.constantFrom('a', 'b', 'c'),
      durationMs: fc.integer({ min: 0, max: 3_000 }),
      fails: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('markSent' as const), gapMs: gap }) },
);

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createThrottle (properties)', () => {
  it('delivers every argument exactly once and never starts two calls closer than minIntervalMs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 2_000 }),
        async (steps: Array<Call | MarkSent>, minIntervalMs) => {
          vi.setSystemTime(0);
          const throttle = createThrottle({ minIntervalMs });
          // Every start and every markSent, in the order they happened.
          const starts: Array<{ at: number; byThrottle: boolean }> = [];
          const delivered: number[] = [];
          const byValue = new Map<number, Call>();
          const fns = [0, 1].map((fnIndex) =>
            throttle.wrap(
              async (_key: string, values: number[]) => {
                starts.push({ at: Date.now(), byThrottle: true });
                delivered.push(...values);
                const call = byValue.get(values[0] as number) as Call;
                await new Promise((resolve) => setTimeout(resolve, call.durationMs));
                if (values.some((value) => byValue.get(value)?.fails)) throw new Error(`fn ${fnIndex} failed`);
                return values;
              },
              { key: (key) => key, merge: ([key, a], [, b]) => [key, [...a, ...b]] },
            ),
          );

          const outcomes: Array<Promise<void>> = [];
          for (const [value, item] of steps.entries()) {
            await vi.advanceTimersByTimeAsync(item.gapMs);
            if (item.kind === 'markSent') {
              throttle.markSent();
              starts.push({ at: Date.now(), byThrottle: false });
              continue;
            }
            byValue.set(value, item);
            const wrapped = fns[item.fn] as (typeof fns)[number];
            outcomes.push(
              wrapped(item.key, [value]).then(
                // Each caller sees the result of the call that carried its argument.
                (values) => expect(values).toContain(value),
                (error: Error) => expect(error.message).toMatch(/failed/),
              ),
            );
          }
          const flushing = throttle.flush();
          await vi.runAllTimersAsync();
          await flushing;
          await Promise.all(outcomes);

          expect([...delivered].sort((a, b) => a - b)).toEqual([...byValue.keys()]);
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
  });
});
