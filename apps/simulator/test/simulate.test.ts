import { describe, expect, it } from 'vitest';
import { chart } from '../src/chart.js';
import { lowerBound } from '../src/metrics.js';
import { fullTable, seedTable, stalenessTable } from '../src/report.js';
import type { Scenario } from '../src/scenarios.js';
import { simulate } from '../src/simulate.js';
import { hotfix } from '../src/variants/hotfix.js';
import { legacy } from '../src/variants/legacy.js';
import { optimized } from '../src/variants/optimized.js';

// Short scenarios, so the suite stays quick; `pnpm simulate` runs the full hour.
const healthy: Scenario = { name: '40/min alone', minutes: 10, workers: 1, rates: [40] };
const outage: Scenario = {
  name: '10-minute outage',
  minutes: 10,
  workers: 1,
  rates: [300],
  faults: { outages: [{ fromMs: 2 * 60_000, toMs: 5 * 60_000 }] },
};

describe('simulate', () => {
  it('measures each variant on a healthy server: the optimized one is spaced, batched, and loses nothing', async () => {
    const [l, h, o] = [
      await simulate(healthy, legacy, 1),
      await simulate(healthy, hotfix, 1),
      await simulate(healthy, optimized, 1),
    ];
    expect(l.delivered).toBe(400);
    expect(l.minGapMs).toBeLessThan(15_000);
    // The hotfix is the hotfix-throttle codemod's output: nothing closer than 15 s, nothing lost, no duplicate.
    expect(h.minGapMs).toBeGreaterThanOrEqual(15_000);
    expect(h).toMatchObject({ delivered: 400, lost: 0, duplicated: 0, finished: true });
    expect(o).toMatchObject({ delivered: 400, lost: 0, duplicated: 0, finished: true });
    expect(o.minGapMs).toBeGreaterThanOrEqual(15_000);
    expect(o.requests).toBeLessThan(l.requests / 4);
    expect(o.requests / o.lowerBound).toBeLessThanOrEqual(1.1);
    expect(o.stalenessP99Ms).toBeLessThanOrEqual(90_000 + 15_000);
    expect(o.stalenessP99ByRate).toEqual({ 40: o.stalenessP99Ms });
  });

  it('shows the legacy worker losing events in an outage, the hotfix fewer, and the optimized one none', async () => {
    const l = await simulate(outage, legacy, 1);
    const h = await simulate(outage, hotfix, 1);
    const o = await simulate(outage, optimized, 1);
    expect(l.lost).toBeGreaterThan(300);
    // Its deferred updates that failed in the outage are tried again, spaced: no more lost, and no storm of repeats.
    expect(h.finished).toBe(true);
    expect(h.lost).toBeLessThanOrEqual(l.lost);
    expect(h.duplicated).toBe(0);
    expect(h.minGapMs).toBeGreaterThanOrEqual(15_000);
    expect(h.requests).toBeLessThan(l.requests);
    expect(o).toMatchObject({ delivered: 3000, lost: 0, duplicated: 0 });
    // Pending at the end of each minute: the optimized worker's backlog grows in the outage, then drains to 0;
    // what the legacy worker dropped stays missing.
    expect(o.pendingPerMinute).toHaveLength(o.minutes);
    expect(Math.max(...o.pendingPerMinute.slice(2, 5))).toBeGreaterThan(500);
    expect(o.pendingPerMinute.at(-1)).toBe(0);
    expect(l.pendingPerMinute.at(-1)).toBe(l.lost);
  });

  it.each([legacy, hotfix, optimized])('is deterministic for a seed ($name)', async (variant) => {
    const a = await simulate(healthy, variant, 7);
    const b = await simulate(healthy, variant, 7);
    expect(b).toEqual(a);
  });

  it('computes the lower bound from full batches or the fastest interval, per worker', () => {
    expect(lowerBound({ name: '', minutes: 60, workers: 1, rates: [10] })).toBe(30);
    expect(lowerBound({ name: '', minutes: 60, workers: 1, rates: [300] })).toBe(180);
    expect(lowerBound({ name: '', minutes: 10, workers: 3, rates: [40] })).toBe(3 * 7);
    // Bulk: the busiest campaign's events (100 of each campaign a request), the fastest campaign's interval.
    expect(lowerBound({ name: '', minutes: 60, workers: 1, rates: [10, 40, 100, 300, 300] })).toBe(180);
  });

  it('reports tables and a chart', async () => {
    const results = [await simulate(healthy, legacy, 1), await simulate(healthy, optimized, 1)];
    expect(fullTable(results).split('\n')).toHaveLength(4);
    expect(fullTable(results)).toContain('| 40/min alone | optimized |');
    expect(seedTable(results)).toContain('server requests per campaign-hour');
    expect(stalenessTable(results)).toContain('| 40/min alone |');
    const svg = chart(results);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('fewer server requests than legacy');
  });
});
