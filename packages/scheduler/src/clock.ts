import type { Clock } from './types.js';

interface NodeTimer {
  ref?(): unknown;
  unref?(): unknown;
}

/**
 * Creates the default clock: the globals `Date.now`, `performance.now`, `setTimeout` and `clearTimeout`, looked
 * up at each call (not captured at import), so fake timers installed at any time drive the scheduler.
 *
 * Its `now()` never goes back: when the wall clock is stepped back (NTP, a VM resumed, a person), elapsed time is
 * read from `performance.now()` instead, so a step back delays nothing. A step forward cannot be told from time
 * passing (fake timers that fake only `Date` advance it the same way): waits end early then, never late.
 *
 * @example
 * ```ts
 * const scheduler = new ServerUpdateScheduler({ transport, clock: createSystemClock() });
 * ```
 */
export function createSystemClock(): Clock {
  let last: { wall: number; steady: number; now: number } | undefined;
  return {
    now: () => {
      const wall = Date.now();
      const steady = globalThis.performance?.now() ?? 0;
      if (last === undefined) last = { wall, steady, now: wall };
      else {
        const elapsed = wall >= last.wall ? wall - last.wall : Math.max(0, steady - last.steady);
        last = { wall, steady, now: last.now + elapsed };
      }
      return last.now;
    },
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

/** A shared {@link createSystemClock}; each scheduler made without a clock gets a clock of its own. */
export const systemClock: Clock = createSystemClock();

/** The longest delay a timer takes (2^31 − 1 ms, about 24.8 days); longer ones fire at once in Node. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Lets a timer hold the process open (while someone awaits) or not (otherwise), where the runtime can. */
export function keepAlive(handle: unknown, alive: boolean): void {
  const timer = handle as NodeTimer | undefined;
  if (typeof timer !== 'object' || timer === null) return;
  if (alive) timer.ref?.();
  else timer.unref?.();
}
