import { describe, expect, it } from 'vitest';
import { chart, headline } from '../src/chart.js';
import {
  binsAlignedWith,
  chooseBinMinutes,
  formatCount,
  linearScale,
  niceStep,
  niceTicks,
  rebin,
  shadedSpan,
  spreadLabels,
  zigZags,
} from '../src/chart-layout.js';
import type { Measurement } from '../src/metrics.js';
import type { Scenario } from '../src/scenarios.js';
import { elements, parseXml } from './xml.js';

describe('niceTicks', () => {
  it.each([
    [4496, 5, [0, 1000, 2000, 3000, 4000, 5000]],
    [100, 4, [0, 50, 100]],
    [72, 4, [0, 20, 40, 60, 80]],
    [361, 4, [0, 100, 200, 300, 400]],
    [113, 10, [0, 20, 40, 60, 80, 100, 120]],
    [30, 10, [0, 5, 10, 15, 20, 25, 30]],
    [0.3, 3, [0, 0.1, 0.2, 0.3]],
  ])('up to %d in about %d steps: %j', (max, count, ticks) => {
    expect(niceTicks(max, count)).toEqual(ticks);
  });

  it('starts at 0, ends at or above the maximum, in steps of 1, 2 or 5 × 10^k', () => {
    for (const max of [1, 3, 7, 9.5, 12, 99, 101, 999, 1001, 7146]) {
      const ticks = niceTicks(max, 5);
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      const step = (ticks[1] as number) - (ticks[0] as number);
      expect(step / 10 ** Math.floor(Math.log10(step))).toSatisfy((m: number) => [1, 2, 5].includes(m));
      // The top tick is the first step at or above the maximum: no empty step above the data.
      expect((ticks[ticks.length - 2] as number) < max).toBe(true);
    }
  });

  it('gives whole steps for counts, and an axis for nothing to show', () => {
    expect(niceTicks(3, 5, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 4, true)).toEqual([0, 1]);
    expect(niceStep(0.37)).toBe(0.5);
    expect(niceStep(0.37, true)).toBe(1);
  });
});

describe('bins', () => {
  it('sums minutes into bins, the last one shorter, the edges where asked', () => {
    expect(rebin([1, 0, 1, 0, 1], 2)).toEqual([
      { from: 0, to: 2, count: 1 },
      { from: 2, to: 4, count: 1 },
      { from: 4, to: 5, count: 1 },
    ]);
    // Edges at 5 + k × 2: a first bin of one minute.
    expect(rebin([1, 1, 1, 1, 1, 1], 2, 5).map((bin) => [bin.from, bin.to])).toEqual([
      [0, 1],
      [1, 3],
      [3, 5],
      [5, 6],
    ]);
  });

  it('tells a zig-zag (empty bins between busy ones, again and again) from a silence', () => {
    expect(zigZags([1, 0, 1, 0, 1, 0, 1])).toBe(true);
    expect(zigZags([3, 3, 0, 0, 0, 4])).toBe(false);
    expect(zigZags([0, 1, 1])).toBe(false);
    // One lone empty minute in a long run is a moment, not a pattern.
    expect(zigZags([...Array.from({ length: 20 }, () => 3), 0, ...Array.from({ length: 20 }, () => 3)])).toBe(false);
  });

  it('picks the narrowest bin that does not zig-zag', () => {
    const steady = Array.from({ length: 60 }, () => 5);
    // A request every two minutes: one-minute bins alternate 0 and 1.
    const everyTwo = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 0 : 1));
    // Every 40 s: 1, 1, 0 in minutes; in two-minute bins 2, 1, 1, none empty.
    const every40s = Array.from({ length: 60 }, (_, i) => (i % 3 === 2 ? 0 : 1));
    expect(chooseBinMinutes([steady])).toBe(1);
    expect(chooseBinMinutes([steady, everyTwo])).toBe(2);
    expect(chooseBinMinutes([every40s])).toBe(2);
    // A worker backing off in an outage (longer and longer silences) keeps one-minute bins.
    const backingOff = [3, 3, 3, 3, 3, 3, 2, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4];
    expect(chooseBinMinutes([steady, backingOff])).toBe(1);
    expect(chooseBinMinutes([everyTwo], [1])).toBe(1);
  });

  it('offers the widths that put a bin edge at both ends of a window', () => {
    expect(binsAlignedWith({ fromMinute: 5, toMinute: 15 })).toEqual([1, 2, 5, 10]);
    expect(binsAlignedWith({ fromMinute: 0, toMinute: 7 }, [2, 3])).toEqual([2, 3]);
    expect(binsAlignedWith(undefined)).toEqual([1, 2, 3, 5, 10, 15, 30]);
    // With 2-minute bins aligned on minute 5, the every-two-minutes series is drawn even.
    const everyTwo = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0 : 1));
    expect(chooseBinMinutes([everyTwo], binsAlignedWith({ fromMinute: 5, toMinute: 15 }), 5)).toBe(2);
  });
});

describe('positions', () => {
  it('maps linearly, and a zero-width domain to the range start', () => {
    const x = linearScale([0, 30], [100, 400]);
    expect([x(0), x(15), x(30)]).toEqual([100, 250, 400]);
    expect(linearScale([5, 5], [10, 20])(5)).toBe(10);
    expect(linearScale([0, 100], [200, 0])(25)).toBe(150);
  });

  it('shades an outage window where it falls, clipped to the plot', () => {
    const x = linearScale([0, 40], [100, 500]);
    expect(shadedSpan(x, { fromMinute: 5, toMinute: 15 }, [0, 40])).toEqual({ x: 150, width: 100 });
    expect(shadedSpan(x, { fromMinute: 30, toMinute: 60 }, [0, 40])).toEqual({ x: 400, width: 100 });
    expect(shadedSpan(x, { fromMinute: 50, toMinute: 60 }, [0, 40])).toBeNull();
  });

  it('keeps labels apart, as near their wish as they can be, within bounds', () => {
    expect(spreadLabels([50, 52, 100], 15, 0, 200)).toEqual([50, 65, 100]);
    expect(spreadLabels([100, 10], 15, 0, 200)).toEqual([100, 10]);
    expect(spreadLabels([200, 199, 198], 15, 0, 200)).toEqual([200, 185, 170]);
    expect(spreadLabels([-20], 15, 0, 200)).toEqual([0]);
  });

  it('prints counts with thousands separators', () => {
    expect(formatCount(4496)).toBe('4,496');
    expect(formatCount(0)).toBe('0');
  });
});

const base: Omit<Measurement, 'scenario' | 'variant'> = {
  requests: 0,
  requestsPerMinute: 0,
  peak15s: 1,
  minGapMs: 15_000,
  maxInFlight: 1,
  recorded: 600,
  planned: 600,
  finished: true,
  minutes: 10,
  delivered: 600,
  lost: 0,
  duplicated: 0,
  stalenessP50Ms: 1000,
  stalenessP99Ms: 2000,
  stalenessP99ByRate: {},
  lowerBound: 10,
  maxBatch: 10,
  meanBatch: 5,
  perMinute: [],
  pendingPerMinute: [],
};
const at = (scenario: string, variant: string, values: Partial<Measurement>): Measurement => ({
  ...base,
  scenario,
  variant,
  ...values,
});

const outage: Scenario = {
  name: '10-minute outage',
  minutes: 10,
  workers: 1,
  rates: [60],
  faults: { outages: [{ fromMs: 2 * 60_000, toMs: 6 * 60_000 }] },
};
const fixture: Measurement[] = [
  at('10/min alone', 'legacy', { requests: 300, peak15s: 5 }),
  at('10/min alone', 'hotfix', { requests: 240 }),
  at('10/min alone', 'optimized', { requests: 30 }),
  at(outage.name, 'legacy', {
    requests: 200,
    lost: 4496,
    perMinute: [20, 20, 60, 60, 60, 20, 20, 20, 20, 20],
    pendingPerMinute: [5, 5, 1500, 3000, 4496, 4496, 4496, 4496, 4496, 4496],
  }),
  at(outage.name, 'optimized', {
    requests: 12,
    minutes: 12,
    perMinute: [2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0],
    pendingPerMinute: [60, 120, 180, 240, 300, 360, 100, 60, 30, 20, 10, 0],
  }),
  at('fleet of 200 workers', 'legacy', { requests: 5794, peak15s: 361 }),
  at('fleet of 200 workers', 'optimized', { requests: 800, peak15s: 112 }),
  at('fleet of 200 workers', 'fleet budget', { requests: 800, peak15s: 40 }),
];

describe('chart', () => {
  it('carries the headline: the outage’s lost events, legacy against optimized, and the request reduction', () => {
    expect(headline(fixture, outage.name)).toEqual([
      '10-minute outage: the legacy worker loses 4,496 events, the optimized one 0',
      'The optimized worker makes 86–94% fewer server requests than legacy',
    ]);
    expect(headline(fixture)).toEqual(['The optimized worker makes 86–94% fewer server requests than legacy']);
  });

  it('renders well-formed SVG with the bars, their values, the shaded outage and labelled axes', () => {
    const svg = chart(fixture, { scenarios: [outage], seed: 1, fleetBudget: { budget: 40, windowMs: 15_000 } });
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    const all = elements(root);
    const texts = all.filter((e) => e.name === 'text').map((e) => e.text);
    for (const line of headline(fixture, outage.name)) expect(texts).toContain(line);
    for (const label of [
      '10/min alone',
      'fleet of 200 workers',
      'Server requests in the run',
      'Busiest 15 s at the server',
      'Events lost',
      '5,794',
      '4,496',
      '40',
      'server down, min 2–6',
      'minutes since the campaigns started',
      'legacy: 4,496 lost',
      'optimized: 0 lost',
      'optimized: 12 in all',
    ])
      expect(texts).toContain(label);
    expect(texts.some((t) => t.startsWith('fleet budget (optimized, 40 requests / 15 s'))).toBe(true);
    // The optimized series alternates 1 and 0 at first: two-minute bins, their edges on the outage's.
    expect(texts).toContain('Server requests per minute (2-minute bins)');
    // One bar per measurement and panel with something to show (a bar of 0 is its label alone).
    const bars = all.filter((e) => e.name === 'rect' && e.children.some((c) => c.name === 'title'));
    expect(bars.filter((e) => e.children[0]?.text.startsWith('fleet of 200 workers, fleet budget'))).toHaveLength(2);
    expect(bars.filter((e) => e.children[0]?.text === '10-minute outage, legacy: 4,496')).toHaveLength(1);
    // The outage shaded in both timeline plots, at the same place: minutes 2 to 6 of a 0–12 axis.
    const shades = all.filter((e) => e.name === 'rect' && e.attributes.class === 'outage');
    expect(shades).toHaveLength(2);
    const [first, second] = shades.map((e) => ({ x: Number(e.attributes.x), width: Number(e.attributes.width) }));
    expect(second).toEqual(first);
    expect((first?.width ?? 0) / ((first?.x ?? 0) - 98)).toBeCloseTo(4 / 2, 1);
    // The legacy series and the optimized one, in each timeline plot.
    expect(all.filter((e) => e.name === 'path')).toHaveLength(4);
  });

  it('draws the bars alone when no scenario has an outage', () => {
    const svg = chart(fixture.filter((m) => m.scenario === '10/min alone'));
    const all = elements(parseXml(svg));
    expect(all.some((e) => e.attributes.class === 'outage')).toBe(false);
    expect(all.filter((e) => e.name === 'text').map((e) => e.text)).toContain('Events lost');
  });
});
