import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { type Batch, ServerUpdateScheduler, type TransportResult } from '@scope/scheduler';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instrumentScheduler } from '../src/index.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');

/**
 * A reader collected by hand. The SDK's periodic reader waits on its own timers, which fake timers hold still; a
 * collection on demand reads the same instruments with no timer at all.
 */
class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A meter whose metrics a test reads when it wants: each collection goes to an in-memory exporter. */
function meterForTest() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  /** Every data point of a collection now, by metric name, as `{ attributes, value }`. */
  async function read(): Promise<Map<string, Array<{ attributes: Record<string, unknown>; value: unknown }>>> {
    const { resourceMetrics } = await reader.collect();
    exporter.export(resourceMetrics, () => {});
    const latest = exporter.getMetrics().at(-1);
    exporter.reset();
    const byName = new Map<string, Array<{ attributes: Record<string, unknown>; value: unknown }>>();
    for (const metric of latest?.scopeMetrics.flatMap((scope) => scope.metrics) ?? []) {
      const points = metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value }));
      byName.set(metric.descriptor.name, points);
    }
    return byName;
  }
  return { meter: provider.getMeter('test'), read, shutdown: () => provider.shutdown() };
}

/** A transport answering its request number `index` (from 0) as `answer(index)` says. */
function transportOf(answer: (index: number, batch: Batch) => TransportResult) {
  let index = 0;
  return Object.assign(async (batch: Batch) => answer(index++, batch), { shape: 'bulk' as const });
}

function schedulerWith(answer: (index: number, batch: Batch) => TransportResult, options = {}) {
  let ids = 0;
  return new ServerUpdateScheduler({
    transport: transportOf(answer),
    workerId: 'w1',
    createBatchId: () => `b${++ids}`,
    random: () => 0.5,
    ...options,
  });
}

const event = (id: string) => ({ recipientId: id, outcome: 'sent' as const, at: new Date(Date.now()) });

let telemetry: ReturnType<typeof meterForTest>;
beforeEach(() => {
  telemetry = meterForTest();
  vi.useFakeTimers({ now: T0 });
});
afterEach(async () => {
  vi.useRealTimers();
  await telemetry.shutdown();
});

describe('instrumentScheduler', () => {
  it('counts requests by outcome, events delivered and dead-lettered, and retries', async () => {
    // The first request fails (503), its retry is acknowledged; the next batch is refused for good (400).
    const scheduler = schedulerWith((index) => ({ status: [503, 200, 400][index] ?? 200 }));
    instrumentScheduler(scheduler, { meter: telemetry.meter });
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.registerCampaign('c2', { emailsPerMinute: 300 });
    for (const id of ['r1', 'r2', 'r3']) scheduler.record('c1', event(id));
    await vi.advanceTimersByTimeAsync(60_000); // 30 s: 503; 45 s: the retry, 200
    for (const id of ['r4', 'r5']) scheduler.record('c2', event(id));
    await vi.advanceTimersByTimeAsync(60_000); // 90 s: 400
    const metrics = await telemetry.read();
    expect(metrics.get('scheduler.requests')).toEqual([
      { attributes: { outcome: 'http_error', 'http.response.status_code': 503 }, value: 1 },
      { attributes: { outcome: 'success', 'http.response.status_code': 200 }, value: 1 },
      { attributes: { outcome: 'http_error', 'http.response.status_code': 400 }, value: 1 },
    ]);
    expect(metrics.get('scheduler.events.delivered')).toEqual([{ attributes: {}, value: 3 }]);
    expect(metrics.get('scheduler.events.dead_lettered')).toEqual([{ attributes: {}, value: 2 }]);
    expect(metrics.get('scheduler.retries')).toEqual([{ attributes: {}, value: 1 }]);
    expect(metrics.get('scheduler.events.pending')).toEqual([{ attributes: {}, value: 0 }]);
    expect(metrics.get('scheduler.staleness')).toEqual([{ attributes: {}, value: 0 }]);
  });

  it('reports pending events, staleness per campaign and the open breaker while the server is down', async () => {
    const scheduler = schedulerWith(() => ({ status: 503 }), { breakerThreshold: 1, breakerCooldownMs: 600_000 });
    instrumentScheduler(scheduler, { meter: telemetry.meter });
    scheduler.registerCampaign('slow', { emailsPerMinute: 10 });
    scheduler.registerCampaign('fast', { emailsPerMinute: 300 });
    scheduler.record('slow', event('r1'));
    await vi.advanceTimersByTimeAsync(10_000);
    scheduler.record('fast', event('r2'));
    await vi.advanceTimersByTimeAsync(50_000); // 40 s: fast's batch fails, the breaker opens
    scheduler.record('fast', event('r3'));
    const metrics = await telemetry.read();
    expect(metrics.get('scheduler.events.pending')).toEqual([{ attributes: {}, value: 2 }]);
    expect(metrics.get('scheduler.events.unacknowledged')).toEqual([{ attributes: {}, value: 1 }]);
    expect(metrics.get('scheduler.staleness')).toEqual([{ attributes: {}, value: 60 }]);
    expect(metrics.get('scheduler.campaign.staleness')).toEqual([
      { attributes: { 'campaign.id': 'slow' }, value: 60 },
      { attributes: { 'campaign.id': 'fast' }, value: 50 },
    ]);
    expect(metrics.get('scheduler.breaker.state')).toEqual([
      { attributes: { state: 'closed' }, value: 0 },
      { attributes: { state: 'half-open' }, value: 0 },
      { attributes: { state: 'open' }, value: 1 },
    ]);
    expect(metrics.get('scheduler.requests')).toEqual([
      { attributes: { outcome: 'http_error', 'http.response.status_code': 503 }, value: 1 },
    ]);
  });

  it('counts a request without an answer as no_answer', async () => {
    const scheduler = schedulerWith(() => {
      throw new Error('ECONNREFUSED');
    });
    instrumentScheduler(scheduler, { meter: telemetry.meter });
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event('r1'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect((await telemetry.read()).get('scheduler.requests')).toEqual([
      { attributes: { outcome: 'no_answer' }, value: 1 },
    ]);
  });

  it('adds its attributes to every measurement, and reports no campaign series with perCampaign: false', async () => {
    const scheduler = schedulerWith(() => ({ status: 200 }));
    instrumentScheduler(scheduler, { meter: telemetry.meter, perCampaign: false, attributes: { 'worker.id': 'w1' } });
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event('r1'));
    await vi.advanceTimersByTimeAsync(30_000);
    const metrics = await telemetry.read();
    expect(metrics.has('scheduler.campaign.staleness')).toBe(false);
    expect(metrics.get('scheduler.events.delivered')).toEqual([{ attributes: { 'worker.id': 'w1' }, value: 1 }]);
    expect(metrics.get('scheduler.requests')?.[0]?.attributes).toMatchObject({ 'worker.id': 'w1' });
  });

  it('reports a finished campaign at 0 once it is forgotten (the SDK keeps exporting a series it has seen)', async () => {
    const scheduler = schedulerWith(() => ({ status: 200 }));
    instrumentScheduler(scheduler, { meter: telemetry.meter });
    scheduler.registerCampaign('done', { emailsPerMinute: 300 });
    scheduler.registerCampaign('running', { emailsPerMinute: 300 });
    scheduler.record('done', event('r1'));
    await vi.advanceTimersByTimeAsync(12_000);
    expect((await telemetry.read()).get('scheduler.campaign.staleness')).toEqual([
      { attributes: { 'campaign.id': 'done' }, value: 12 },
      { attributes: { 'campaign.id': 'running' }, value: 0 },
    ]);
    scheduler.setStatus('done', { state: 'completed', sent: 1, failed: 0, total: 1 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scheduler.campaignStats('done')).toBeUndefined();
    for (let collection = 0; collection < 2; collection++) {
      expect((await telemetry.read()).get('scheduler.campaign.staleness')).toEqual([
        { attributes: { 'campaign.id': 'done' }, value: 0 },
        { attributes: { 'campaign.id': 'running' }, value: 0 },
      ]);
    }
  });

  it('stops measuring when stopped', async () => {
    const scheduler = schedulerWith(() => ({ status: 200 }));
    const instrumentation = instrumentScheduler(scheduler, { meter: telemetry.meter });
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event('r1'));
    await vi.advanceTimersByTimeAsync(30_000);
    instrumentation.stop();
    instrumentation.stop();
    scheduler.record('c1', event('r2'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(scheduler.stats().responses).toBe(2);
    const metrics = await telemetry.read();
    expect(metrics.get('scheduler.requests')).toEqual([
      { attributes: { outcome: 'success', 'http.response.status_code': 200 }, value: 1 },
    ]);
    expect(metrics.get('scheduler.events.delivered') ?? []).toEqual([]);
  });

  it.each([
    ['no options', undefined, /Expected `options` to be an object/],
    ['no meter', {}, /Expected `meter` to be an OpenTelemetry Meter/],
    ['an unknown option', { meter: undefined, perCampaing: false }, /Unknown option `perCampaing`/],
    ['a perCampaign that is not a boolean', { perCampaign: 'no' }, /Expected `perCampaign` to be a boolean/],
  ])('refuses %s with a TypeError naming it', (_what, options, message) => {
    const scheduler = schedulerWith(() => ({ status: 200 }));
    const withMeter = options && 'perCampaign' in options ? { meter: telemetry.meter, ...options } : options;
    expect(() => instrumentScheduler(scheduler, withMeter as never)).toThrow(TypeError);
    expect(() => instrumentScheduler(scheduler, withMeter as never)).toThrow(message);
  });
});
