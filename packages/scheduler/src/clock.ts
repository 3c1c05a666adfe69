import type { Clock } from './types.js';

interface NodeTimer {
  ref?(): unknown;
  unref?(): unknown;
}

/**
 * The default clock: the globals `Date.now`, `setTimeout` and `clearTimeout`, looked up at each call (not
 * captured at import), so fake timers installed at any time drive the scheduler.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The longest delay a timer takes (2^31 − 1 ms, about 24.8 days); longer ones fire at once in Node. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Lets a timer hold the process open (while someone awaits) or not (otherwise), where the runtime can. */
export function keepAlive(handle: unknown, alive: boolean): void {
  const timer = handle as NodeTimer | undefined;
  if (typeof timer !== 'object' || timer === null) return;
  if (alive) timer.ref?.();
  else timer.unref?.();
}
