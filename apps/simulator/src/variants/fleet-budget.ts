import { slidingWindow, trimWindow } from '@scope/fleet';
import type { GateRequest } from '@scope/scheduler';
import type { Scenario } from '../scenarios.js';
import { runOptimized } from './optimized.js';
import type { Variant } from './types.js';

/** The fleet budget simulated: at most this many requests in any sliding window, for the whole fleet. */
export const FLEET_BUDGET = { budget: 40, windowMs: 15_000 } as const;

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The optimized worker in fleet mode: the same scheduler, each request first granted by a fleet budget of at most
 * `budget` requests in any sliding `windowMs`, so the fleet's workers together stay within it. The grants are one log
 * for all the simulated workers (they share one process, as the fleet shares one Redis), decided by the same
 * sliding-log rule as `@scope/fleet`'s Lua script, on the virtual clock; a simulation that starts again (the clock
 * back at its start) starts a new log. Measured on the fleet scenarios only.
 */
export function fleetBudgetVariant({ budget, windowMs }: { budget: number; windowMs: number }): Variant {
  const log: number[] = [];
  let lastNow = Number.NEGATIVE_INFINITY;
  const gate = async (_request: GateRequest, { signal }: { readonly signal: AbortSignal }): Promise<void> => {
    for (;;) {
      const now = Date.now();
      if (now < lastNow) log.length = 0;
      lastNow = now;
      trimWindow(log, now, windowMs);
      const decision = slidingWindow(log, now, budget, windowMs);
      if (decision.grant) {
        log.push(now);
        return;
      }
      await wait(decision.waitMs, signal);
    }
  };
  return {
    name: 'fleet budget',
    appliesTo: (scenario: Scenario) => scenario.workers > 1,
    runWorker: (campaigns, serverUrl, mail) => runOptimized(campaigns, serverUrl, mail, { requestGate: gate }),
  };
}

/** The fleet budget of `pnpm simulate`. */
export const fleetBudget: Variant = fleetBudgetVariant(FLEET_BUDGET);
