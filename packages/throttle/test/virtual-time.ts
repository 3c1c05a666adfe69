import { vi } from 'vitest';
import type { Throttle } from '../src/index.js';

/** Flushes the throttle while driving the fake clock, as real time would. */
export async function flushInVirtualTime(throttle: Throttle): Promise<void> {
  const flushing = throttle.flush();
  await vi.runAllTimersAsync();
  await flushing;
}

/** Whether `promise` has settled, checked after the microtasks queued so far have run. */
export function settledFlag(promise: Promise<unknown>): () => boolean {
  let settled = false;
  const mark = () => {
    settled = true;
  };
  promise.then(mark, mark);
  return () => settled;
}

// Captured before any test installs fake timers: one real turn of the event loop, after which Node has
// reported any unhandled rejection. It waits for no clock; it only lets Node's own bookkeeping run.
const realSetImmediate = globalThis.setImmediate;

/** Resolves after two real turns of the event loop, by which time Node has emitted `unhandledRejection`. */
export function nextTurns(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(() => realSetImmediate(resolve)));
}
