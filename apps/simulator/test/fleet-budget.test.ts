import { describe, expect, it } from 'vitest';
import type { Scenario } from '../src/scenarios.js';
import { simulate } from '../src/simulate.js';
import { fleetBudgetVariant } from '../src/variants/fleet-budget.js';
import { optimized } from '../src/variants/optimized.js';

// A small fleet, so the suite stays quick; `pnpm simulate` runs the 200 workers.
const fleet: Scenario = { name: 'fleet of 20 workers', minutes: 2, workers: 20, rates: [40] };

describe('fleet budget variant', () => {
  it('keeps the whole fleet within the budget in every 15 s window, losing and duplicating nothing', async () => {
    const budget = 6;
    const free = await simulate(fleet, optimized, 1);
    const budgeted = await simulate(fleet, fleetBudgetVariant({ budget, windowMs: 15_000 }), 1);
    expect(free.peak15s).toBeGreaterThan(budget);
    expect(budgeted.peak15s).toBeLessThanOrEqual(budget);
    expect(budgeted).toMatchObject({ lost: 0, duplicated: 0, finished: true, delivered: free.delivered });
  }, 120_000);

  it('is measured on fleet scenarios only', () => {
    const variant = fleetBudgetVariant({ budget: 6, windowMs: 15_000 });
    expect(variant.appliesTo?.(fleet)).toBe(true);
    expect(variant.appliesTo?.({ ...fleet, workers: 1 })).toBe(false);
  });
});
