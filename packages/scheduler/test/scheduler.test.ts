import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  type DeadLetter,
  isSchedulerClosedError,
  isUnknownCampaignError,
  SchedulerClosedError,
  type SchedulerOptions,
  ServerUpdateScheduler,
} from '../src/index.js';
import { type Behaviour, createFakeServer, event, sequentialIds } from './fake-server.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const ok: Behaviour = { kind: 'answer', status: 200 };
const since = (at: number) => at - T0;

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

function setup(options: Partial<SchedulerOptions> = {}, server = createFakeServer()) {
  const scheduler = new ServerUpdateScheduler({
    transport: server.transport,
    workerId: 'w1',
    createBatchId: sequentialIds(),
    random: () => 0.5,
    ...options,
  });
  return { scheduler, server };
}

/** Records one event every `everyMs` for `count` events. */
async function feed(scheduler: ServerUpdateScheduler, campaignId: string, count: number, everyMs: number, from = 0) {
  for (let i = 0; i < count; i++) {
    await scheduler.record(campaignId, event(`${campaignId}-${from + i}`));
    await vi.advanceTimersByTimeAsync(everyMs);
  }
}

describe('ServerUpdateScheduler: adaptive intervals', () => {
  it.each([
    [10, 120_000],
    [40, 90_000],
    [100, 45_000],
    [300, 30_000],
  ])('a campaign at %i/min first reports when its oldest event has waited %i ms', async (rate, interval) => {
    const { scheduler, server } = setup({ maxBatchEvents: 100_000 });
    scheduler.registerCampaign('c1', { emailsPerMinute: rate });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(interval - 1);
    expect(server.log).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.log.map((r) => since(r.at))).toEqual([interval]);
  });

  it('follows the measured rate of a campaign registered without one', async () => {
    const { scheduler, server } = setup({ maxBatchEvents: 100_000 });
    scheduler.registerCampaign('fast');
    // 200/min measured over the first minute: the >120 class, 30 s.
    for (let i = 0; i < 200; i++) scheduler.record('fast', event(i));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.log.map((r) => since(r.at))).toEqual([30_000]);
  });
});

describe('ServerUpdateScheduler: spacing and concurrency', () => {
  it('starts two requests at least minIntervalMs apart, even when several campaigns are due', async () => {
    const { scheduler, server } = setup({}, createFakeServer({ shape: 'legacy' }));
    for (const id of ['a', 'b', 'c']) {
      scheduler.registerCampaign(id, { emailsPerMinute: 300 });
      scheduler.record(id, event(`${id}1`));
    }
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.log.map((r) => [since(r.at), r.campaigns[0]])).toEqual([
      [30_000, 'a'],
      [45_000, 'b'],
      [60_000, 'c'],
    ]);
  });

  it('keeps at most maxConcurrent requests in flight', async () => {
    const server = createFakeServer({
      shape: 'legacy',
      behave: () => ({ kind: 'answer', status: 200, latencyMs: 20_000 }),
    });
    const { scheduler } = setup({ minIntervalMs: 1000, maxConcurrent: 2, slowResponseMs: 60_000 }, server);
    for (const id of ['a', 'b', 'c', 'd']) {
      scheduler.registerCampaign(id, { emailsPerMinute: 300 });
      scheduler.record(id, event(`${id}1`));
    }
    await vi.advanceTimersByTimeAsync(200_000);
    expect(server.maxInFlight).toBe(2);
    expect(server.log.map((r) => since(r.at))).toEqual([30_000, 31_000, 50_000, 51_000]);
  });

  it('never has two batches of one campaign in flight, and keeps a campaign’s updates in order', async () => {
    const server = createFakeServer({ behave: () => ({ kind: 'answer', status: 200, latencyMs: 20_000 }) });
    const { scheduler } = setup({ minIntervalMs: 1000, maxBatchEvents: 10 }, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 35; i++) scheduler.record('c1', event(i));
    const closing = scheduler.close({ timeoutMs: 1_000_000 });
    await vi.runAllTimersAsync();
    await closing;
    expect(server.campaignOverlap).toBe(false);
    expect(server.applied('c1')).toEqual(Array.from({ length: 35 }, (_, i) => String(i)));
    expect(server.log.map((r) => r.events)).toEqual([10, 10, 10, 5]);
  });
});

describe('ServerUpdateScheduler: batching', () => {
  it('sends a full batch at once, still spaced, with at most maxBatchEvents a campaign', async () => {
    const { scheduler, server } = setup();
    scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
    for (let i = 0; i < 250; i++) scheduler.record('c1', event(i));
    await vi.advanceTimersByTimeAsync(31_000);
    expect(server.log.map((r) => [since(r.at), r.events])).toEqual([
      [0, 100],
      [15_000, 100],
    ]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.log.map((r) => r.events)).toEqual([100, 100, 50]);
  });

  it('carries every due campaign in one bulk request, and nearly-due ones ride along', async () => {
    const { scheduler, server } = setup();
    scheduler.registerCampaign('fast', { emailsPerMinute: 300 }); // 30 s
    scheduler.registerCampaign('slow', { emailsPerMinute: 10 }); // 120 s: rides along after 60 s
    scheduler.registerCampaign('fresh', { emailsPerMinute: 10 });
    scheduler.record('slow', event('s1'));
    await vi.advanceTimersByTimeAsync(50_000);
    scheduler.record('fast', event('f1'));
    await vi.advanceTimersByTimeAsync(10_000);
    scheduler.record('fresh', event('x1'));
    await vi.advanceTimersByTimeAsync(20_000);
    // At 80 s `fast` is due (30 s); `slow` has waited 80 s of 120 and rides along; `fresh` (20 s) does not.
    expect(server.log.map((r) => [since(r.at), r.campaigns])).toEqual([[80_000, ['fast', 'slow']]]);
  });

  it('coalesces statuses: only the newest goes, with a rising seq', async () => {
    const { scheduler, server } = setup();
    scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
    for (let sent = 1; sent <= 5; sent++) scheduler.setStatus('c1', { state: 'running', sent, failed: 0, total: 9 });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.statuses.get('c1')).toEqual([
      { state: 'running', sent: 5, failed: 0, total: 9, seq: 5, updatedAt: '2026-11-28T10:00:00.000Z' },
    ]);
    expect(server.log).toHaveLength(1);
  });

  it('delivers a terminal status promptly, still spaced', async () => {
    const { scheduler, server } = setup();
    scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
    scheduler.record('c1', event(1));
    scheduler.setStatus('c1', { state: 'completed', sent: 1, failed: 0, total: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(server.log.map((r) => since(r.at))).toEqual([0]);
    scheduler.registerCampaign('c2', { emailsPerMinute: 10 });
    scheduler.setStatus('c2', { state: 'failed', sent: 0, failed: 1, total: 1 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(server.log.map((r) => since(r.at))).toEqual([0, 15_000]);
  });

  it('with the legacy shape sends events, then the status right after, still spaced', async () => {
    const server = createFakeServer({ shape: 'legacy' });
    const { scheduler } = setup({}, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    scheduler.setStatus('c1', { state: 'running', sent: 1, failed: 0, total: 10 });
    scheduler.record('c1', event(2));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.log.map((r) => [since(r.at), r.events])).toEqual([
      [30_000, 2],
      [45_000, 0],
    ]);
    expect(server.statuses.get('c1')?.map((s) => s.sent)).toEqual([1]);
  });

  it('with the legacy shape does not starve a status behind full event batches', async () => {
    const server = createFakeServer({ shape: 'legacy' });
    const { scheduler } = setup({}, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.setStatus('c1', { state: 'running', sent: 0, failed: 0, total: 1000 });
    for (let i = 0; i < 1000; i++) scheduler.record('c1', event(i));
    await vi.advanceTimersByTimeAsync(60_000);
    // Full event batches go at once; once the campaign has waited its interval (30 s), its status goes right
    // after the events batch of that moment, ahead of the remaining events.
    const kinds = server.log.map((r) => `${since(r.at) / 1000}s ${r.events === 0 ? 'status' : 'events'}`);
    expect(kinds.slice(0, 5)).toEqual(['0s events', '15s events', '30s events', '45s status', '60s events']);
  });
});

describe('ServerUpdateScheduler: failures', () => {
  it('retries a failed batch with the same id and contents, after a full-jitter backoff', async () => {
    let calls = 0;
    // 500, not 503: a 503 also asks the scheduler to slow down, which stretches the spacing.
    const server = createFakeServer({ behave: () => (++calls <= 2 ? { kind: 'answer', status: 500 } : ok) });
    const random = vi.fn(() => 0.5);
    const { scheduler } = setup({ random }, server);
    const retries: number[] = [];
    scheduler.on('retry', (retry) => retries.push(retry.delayMs));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(200_000);
    expect(server.log.map((r) => r.batchId)).toEqual(['b1', 'b1', 'b1']);
    // attempt 1: up to 15 s × 0.5; attempt 2: up to 30 s × 0.5.
    expect(retries).toEqual([7_500, 15_000]);
    expect(server.log.map((r) => since(r.at))).toEqual([30_000, 45_000, 60_000]);
    expect(scheduler.stats()).toMatchObject({ requests: 3, retries: 2, eventsDelivered: 1 });
  });

  it('never retries before Retry-After', async () => {
    let calls = 0;
    const server = createFakeServer({
      behave: () => (++calls === 1 ? { kind: 'answer', status: 429, retryAfterMs: 120_000 } : ok),
    });
    const { scheduler } = setup({}, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(400_000);
    expect(server.log.map((r) => since(r.at))).toEqual([30_000, 150_000]);
  });

  it('opens the breaker after consecutive failures, probes one at a time, and grows the cool-down', async () => {
    const server = createFakeServer({ behave: () => ({ kind: 'network-error' }) });
    const { scheduler } = setup(
      { minIntervalMs: 1000, breakerThreshold: 3, breakerCooldownMs: 10_000, maxBreakerCooldownMs: 40_000 },
      server,
    );
    const states: Array<[number, string, number | undefined]> = [];
    scheduler.on('breaker', (b) => states.push([since(Date.now()), b.state, b.cooldownMs]));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(300_000);
    expect(states.slice(0, 7).map(([, state, cooldown]) => [state, cooldown])).toEqual([
      ['open', 10_000],
      ['half-open', undefined],
      ['open', 20_000],
      ['half-open', undefined],
      ['open', 40_000],
      ['half-open', undefined],
      ['open', 40_000],
    ]);
    expect(scheduler.stats().breaker).not.toBe('closed');
    // While open nothing is sent; each probe comes after the cool-down.
    const opened = states.filter(([, state]) => state === 'open').map(([at]) => at);
    const probes = server.log.slice(3).map((r) => since(r.at));
    expect(probes.slice(0, 3)).toEqual([
      (opened[0] as number) + 10_000,
      (opened[1] as number) + 20_000,
      (opened[2] as number) + 40_000,
    ]);
  });

  it('closes the breaker when the probe succeeds', async () => {
    let calls = 0;
    const server = createFakeServer({ behave: () => (++calls <= 3 ? { kind: 'network-error' } : ok) });
    const { scheduler } = setup({ minIntervalMs: 1000, breakerThreshold: 3, breakerCooldownMs: 10_000 }, server);
    const states: string[] = [];
    scheduler.on('breaker', (b) => states.push(b.state));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(300_000);
    expect(states).toEqual(['open', 'half-open', 'closed']);
    expect(server.applied('c1')).toEqual(['1']);
  });

  it('times out a request that never answers, and tries again', async () => {
    let calls = 0;
    const server = createFakeServer({ behave: () => (++calls === 1 ? { kind: 'hang' } : ok) });
    const { scheduler } = setup({ requestTimeoutMs: 5_000 }, server);
    const reasons: string[] = [];
    scheduler.on('retry', (r) => reasons.push(r.reason));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(100_000);
    expect(reasons).toEqual(['TimeoutError: no answer within 5000 ms']);
    expect(server.applied('c1')).toEqual(['1']);
  });

  it('splits a batch the server finds too large (413)', async () => {
    const server = createFakeServer({
      behave: (batch) => (batch.campaigns[0]!.events.length > 30 ? { kind: 'answer', status: 413 } : ok),
    });
    const { scheduler } = setup({ minIntervalMs: 1000 }, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 100; i++) scheduler.record('c1', event(i));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.log.map((r) => r.events)).toEqual([100, 50, 25, 25, 50, 25, 25]);
    expect(server.applied('c1')).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
  });

  it('narrows a 400 on a bulk batch down to the bad campaign and dead-letters only that one', async () => {
    const server = createFakeServer({
      behave: (batch) =>
        batch.campaigns.some((c) => c.campaignId === 'bad')
          ? { kind: 'answer', status: 400, message: 'campaigns[0].events[0].email: invalid' }
          : ok,
    });
    const { scheduler } = setup({ minIntervalMs: 1000 }, server);
    const letters: DeadLetter[] = [];
    scheduler.on('deadletter', (letter) => letters.push(letter));
    for (const id of ['a', 'b', 'bad', 'c']) {
      scheduler.registerCampaign(id, { emailsPerMinute: 300 });
      scheduler.record(id, event(`${id}1`));
    }
    await vi.advanceTimersByTimeAsync(60_000);
    expect([...server.events.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(letters).toEqual([
      {
        batchId: expect.any(String),
        campaignId: 'bad',
        events: [expect.objectContaining({ recipientId: 'bad1' })],
        status: undefined,
        reason: 'HTTP 400: campaigns[0].events[0].email: invalid',
        httpStatus: 400,
      },
    ]);
    expect(JSON.parse(JSON.stringify(letters[0]))).toMatchObject({ campaignId: 'bad', reason: expect.any(String) });
    expect(scheduler.stats().deadLettered).toBe(1);
  });

  it('dead-letters what a non-retryable 4xx refuses, with the reason', async () => {
    const server = createFakeServer({ behave: () => ({ kind: 'answer', status: 403, message: 'forbidden' }) });
    const { scheduler } = setup({}, server);
    const letters: DeadLetter[] = [];
    scheduler.on('deadletter', (letter) => letters.push(letter));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await scheduler.flush().then(undefined, undefined);
    expect(letters.map((l) => [l.reason, l.httpStatus, l.events.length])).toEqual([['HTTP 403: forbidden', 403, 1]]);
    expect(server.log).toHaveLength(1);
  });
});

describe('ServerUpdateScheduler: server health', () => {
  it('stretches the intervals for a slow or throttling server, and relaxes them when it recovers', async () => {
    let slow = true;
    const server = createFakeServer({
      behave: () => (slow ? { kind: 'answer', status: 200, latencyMs: 5_000 } : ok),
    });
    const { scheduler } = setup({}, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    let stretch = 1;
    for (let i = 0; i < 6; i++) {
      scheduler.record('c1', event(i));
      await vi.advanceTimersByTimeAsync(400_000);
      expect(scheduler.stats().stretch).toBeGreaterThan(stretch);
      stretch = scheduler.stats().stretch;
    }
    expect(stretch).toBeLessThanOrEqual(8);
    const stretchedGap = (server.log.at(-1)?.at ?? 0) - (server.log.at(-2)?.at ?? 0);
    expect(stretchedGap).toBeGreaterThan(30_000 * 2);
    slow = false;
    for (let i = 0; i < 20; i++) {
      scheduler.record('c1', event(`r${i}`));
      await vi.advanceTimersByTimeAsync(300_000);
    }
    expect(scheduler.stats().stretch).toBe(1);
  });
});

describe('ServerUpdateScheduler: flush and close', () => {
  it('flush resolves once everything recorded before it is acknowledged, sending at once, still spaced', async () => {
    const { scheduler, server } = setup();
    scheduler.registerCampaign('a', { emailsPerMinute: 10 });
    scheduler.registerCampaign('b', { emailsPerMinute: 10 });
    scheduler.record('a', event('a1'));
    let flushed = false;
    const flushing = scheduler.flush('a').then(() => {
      flushed = true;
    });
    scheduler.record('b', event('b1'));
    await vi.advanceTimersByTimeAsync(0);
    await flushing;
    expect(flushed).toBe(true);
    // `b` has waited no time at all: it does not ride along with `a`.
    expect(server.log.map((r) => [since(r.at), r.campaigns])).toEqual([[0, ['a']]]);
  });

  it('flush of an unknown campaign rejects with an error naming it', async () => {
    const { scheduler } = setup();
    await expect(scheduler.flush('nope')).rejects.toSatisfy(isUnknownCampaignError);
  });

  it('close delivers what is left, refuses new updates, and reports', async () => {
    const { scheduler, server } = setup();
    scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
    await feed(scheduler, 'c1', 3, 1000);
    const closing = scheduler.close({ timeoutMs: 60_000 });
    expect(() => scheduler.record('c1', event('late'))).toThrow(/closed/);
    expect(() => scheduler.setStatus('c1', { state: 'completed', sent: 3, failed: 0, total: 3 })).toThrow(
      SchedulerClosedError,
    );
    expect(() => scheduler.registerCampaign('c2')).toThrow(SchedulerClosedError);
    await vi.runAllTimersAsync();
    const report = await closing;
    expect(report).toMatchObject({ complete: true, eventsDelivered: 3, eventsLeft: 0, unsent: [], unacknowledged: [] });
    expect(server.applied('c1')).toEqual(['c1-0', 'c1-1', 'c1-2']);
    try {
      scheduler.record('c1', event('late'));
    } catch (error) {
      expect(isSchedulerClosedError(error)).toBe(true);
    }
  });

  it('close against a dead server resolves by its deadline with what is left, batch ids included', async () => {
    const server = createFakeServer({ behave: () => ({ kind: 'network-error' }) });
    const { scheduler } = setup({}, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
    for (let i = 0; i < 150; i++) scheduler.record('c1', event(i));
    scheduler.setStatus('c1', { state: 'running', sent: 150, failed: 0, total: 500 });
    const closing = scheduler.close({ timeoutMs: 45_000 });
    await vi.advanceTimersByTimeAsync(45_000);
    const report = await closing;
    expect(report.complete).toBe(false);
    expect(report.eventsLeft).toBe(150);
    expect(report.statusesLeft).toBe(1);
    expect(report.unacknowledged.map((b) => [b.batchId, b.campaigns[0]?.events.length])).toEqual([['b1', 100]]);
    expect(report.unsent.map((u) => u.events.length)).toEqual([50]);
    expect(JSON.parse(JSON.stringify(report)).eventsLeft).toBe(150);
    const requestsAtClose = server.log.length;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(server.log).toHaveLength(requestsAtClose);
  });
});

describe('ServerUpdateScheduler: backpressure', () => {
  it('above maxPendingEvents, record() returns a promise that settles when room is made', async () => {
    const server = createFakeServer({ behave: () => ({ kind: 'answer', status: 200, latencyMs: 1_000 }) });
    const { scheduler } = setup({ maxPendingEvents: 150, minIntervalMs: 1000 }, server);
    const signals: boolean[] = [];
    scheduler.on('backpressure', (b) => signals.push(b.active));
    scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
    const results = Array.from({ length: 200 }, (_, i) => scheduler.record('c1', event(i)));
    expect(results.slice(0, 150).every((r) => r === undefined)).toBe(true);
    expect(results.slice(150).every((r) => r instanceof Promise)).toBe(true);
    // The moment callers wait, a request takes a full batch out: 50 stay pending, 50 wait to be let in.
    expect(scheduler.stats()).toMatchObject({
      requests: 1,
      unacknowledgedEvents: 100,
      pendingEvents: 100,
      waitingEvents: 50,
      backpressure: true,
    });
    await Promise.all([vi.advanceTimersByTimeAsync(5_000), ...results]);
    expect(signals).toEqual([true, false]);
    await scheduler.flush().then(undefined, undefined);
  });
});

describe('ServerUpdateScheduler: input', () => {
  it('refuses bad options, naming them', () => {
    const transport = createFakeServer().transport;
    expect(() => new ServerUpdateScheduler({} as never)).toThrow('Missing option `transport`');
    expect(() => new ServerUpdateScheduler({ transport, minIntervalMs: -1 })).toThrow(
      'Expected `minIntervalMs` to be a finite number >= 0, got `-1` (number)',
    );
    expect(() => new ServerUpdateScheduler({ transport, maxConcurrent: 0 })).toThrow(
      'Expected `maxConcurrent` to be an integer >= 1, got `0` (number)',
    );
    expect(() => new ServerUpdateScheduler({ transport, maxBatchEvent: 5 } as never)).toThrow(
      'Unknown option `maxBatchEvent`',
    );
    expect(() => new ServerUpdateScheduler({ transport, rideAlongRatio: 2 })).toThrow(RangeError);
  });

  it('refuses bad events, statuses and registrations, naming the field', () => {
    const { scheduler } = setup();
    expect(() => scheduler.registerCampaign('c1', { emailsPerMinute: -3 })).toThrow('`registration.emailsPerMinute`');
    scheduler.registerCampaign('c1');
    expect(() => scheduler.record('c1', { outcome: 'sent', at: new Date().toISOString() } as never)).toThrow(
      'Expected `event.recipientId` to be a non-empty string, got `undefined` (undefined)',
    );
    expect(() => scheduler.record('c1', { ...event(1), outcome: 'ok' } as never)).toThrow(
      'Expected `event.outcome` to be one of sent|failed|bounced|skipped, got `"ok"` (string)',
    );
    expect(() => scheduler.record('c1', { ...event(1), at: 'yesterday' })).toThrow('`event.at`');
    expect(() => scheduler.record('nope', event(1))).toThrow('Unknown campaign "nope"');
    expect(() => scheduler.setStatus('c1', { state: 'done', sent: 0, failed: 0, total: 1 } as never)).toThrow(
      '`status.state`',
    );
    scheduler.setStatus('c1', { state: 'running', sent: 0, failed: 0, total: 1, seq: 5 });
    expect(() => scheduler.setStatus('c1', { state: 'running', sent: 0, failed: 0, total: 1, seq: 5 })).toThrow(
      'Expected `status.seq` to rise above 5, got `5` (number)',
    );
    expect(scheduler.stats().pendingEvents).toBe(0);
  });

  it('types record() as void or a promise to await', () => {
    expectTypeOf<ServerUpdateScheduler['record']>().returns.toEqualTypeOf<void | Promise<void>>();
  });
});

describe('ServerUpdateScheduler: ordering of statuses and flushes', () => {
  it('flush waits for the events recorded before it, even when statuses set after it go first', async () => {
    const { scheduler, server } = setup({ maxBatchEvents: 2 });
    scheduler.registerCampaign('a', { emailsPerMinute: 10 });
    scheduler.registerCampaign('b', { emailsPerMinute: 10 });
    scheduler.setStatus('b', { state: 'completed', sent: 0, failed: 0, total: 0 });
    await vi.advanceTimersByTimeAsync(0); // b's request starts the spacing window
    for (let i = 1; i <= 4; i++) scheduler.record('a', event(`e${i}`));
    let flushed = false;
    void scheduler.flush('a').then(() => {
      flushed = true;
    });
    scheduler.setStatus('a', { state: 'running', sent: 3, failed: 0, total: 9 });
    scheduler.setStatus('a', { state: 'running', sent: 4, failed: 0, total: 9 });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(server.applied('a')).toEqual(['e1', 'e2']);
    expect(flushed).toBe(false);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(server.applied('a')).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(flushed).toBe(true);
  });

  it('a terminal status never overtakes the events recorded before it', async () => {
    const { scheduler, server } = setup();
    scheduler.registerCampaign('a', { emailsPerMinute: 300 });
    for (let i = 0; i < 150; i++) scheduler.record('a', event(i));
    scheduler.setStatus('a', { state: 'completed', sent: 150, failed: 0, total: 150 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(server.log.map((r) => r.events)).toEqual([100, 50]);
    expect(server.statuses.get('a')?.map((s) => s.state)).toEqual(['completed']);
    expect(server.applied('a')).toHaveLength(150);
    // The status came with the second request, after all 150 events.
    expect(server.log[1]?.at).toBe(server.log[0]!.at + 15_000);
  });

  it('under backpressure, pending campaigns are due at once, so room is made at the next slot', async () => {
    const { scheduler, server } = setup({ maxPendingEvents: 10 });
    scheduler.registerCampaign('a', { emailsPerMinute: 10 });
    scheduler.registerCampaign('b', { emailsPerMinute: 10 });
    for (let i = 0; i < 10; i++) scheduler.record('a', event(`a${i}`));
    let admitted = false;
    void (scheduler.record('b', event('b0')) as Promise<void>).then(() => {
      admitted = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(server.log.map((r) => [since(r.at), r.campaigns])).toEqual([[0, ['a']]]);
    expect(admitted).toBe(true);
  });

  it('a far Retry-After is waited out without a busy timer, up to maxRetryAfterMs', async () => {
    let calls = 0;
    const server = createFakeServer({
      behave: () => (++calls === 1 ? { kind: 'answer', status: 503, retryAfterMs: 30 * 24 * 3_600_000 } : ok),
    });
    const { scheduler } = setup({ maxRetryAfterMs: 30 * 24 * 3_600_000, maxBackoffMs: 60_000 }, server);
    scheduler.registerCampaign('a', { emailsPerMinute: 300 });
    scheduler.record('a', event(1));
    await vi.advanceTimersByTimeAsync(30_000);
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(timeouts.mock.calls.length).toBeLessThan(5);
    expect(server.log).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(30 * 24 * 3_600_000);
    expect(server.log).toHaveLength(2);
    timeouts.mockRestore();
  });
});

describe('ServerUpdateScheduler: events, stats and clock', () => {
  it('passes on per-campaign control from the server’s acknowledgement', async () => {
    const transport = Object.assign(
      async () => ({ status: 200, control: [{ campaignId: 'c1', state: 'paused' as const }] }),
      {
        shape: 'bulk' as const,
      },
    );
    const scheduler = new ServerUpdateScheduler({ transport });
    const controls: unknown[] = [];
    scheduler.on('control', (control) => controls.push(control));
    scheduler.registerCampaign('c1');
    scheduler.record('c1', event(1));
    const flushing = scheduler.flush();
    await vi.advanceTimersByTimeAsync(0);
    await flushing;
    expect(controls).toEqual([{ campaignId: 'c1', state: 'paused' }]);
  });

  it('emits request and response events, and removes a listener on request', async () => {
    const { scheduler } = setup();
    const seen: string[] = [];
    const off = scheduler.on('request', (r) =>
      seen.push(`request ${r.batch.batchId} attempt ${r.attempt} events ${r.events}`),
    );
    scheduler.on('response', (r) => seen.push(`response ${r.batch.batchId} ${r.status}`));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(30_000);
    off();
    scheduler.record('c1', event(2));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(seen).toEqual(['request b1 attempt 1 events 1', 'response b1 200', 'response b2 200']);
  });

  it('is not disturbed by a listener that throws, and reports its error once as an error event', async () => {
    const { scheduler, server } = setup();
    const uncaught: unknown[] = [];
    const onError = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onError);
    const reported: unknown[] = [];
    scheduler.on('error', (problem) => reported.push(problem));
    for (const name of ['request', 'response'] as const) {
      scheduler.on(name, () => {
        throw new Error(`${name} listener bug`);
      });
    }
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 1; i <= 3; i++) {
      scheduler.record('c1', event(i));
      await vi.advanceTimersByTimeAsync(30_000);
    }
    await new Promise((resolve) => process.nextTick(resolve));
    process.off('uncaughtException', onError);
    expect(server.applied('c1')).toEqual(['1', '2', '3']);
    expect(uncaught).toEqual([]);
    expect(reported).toEqual([
      { source: 'listener', event: 'request', error: expect.objectContaining({ message: 'request listener bug' }) },
      { source: 'listener', event: 'response', error: expect.objectContaining({ message: 'response listener bug' }) },
    ]);
    expect(scheduler.stats().listenerErrors).toBe(6);
  });

  it('without an error listener, reports a throwing listener once as a process warning', async () => {
    const { scheduler, server } = setup();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    scheduler.on('request', () => {
      throw new Error('listener bug');
    });
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 1; i <= 2; i++) {
      scheduler.record('c1', event(i));
      await vi.advanceTimersByTimeAsync(30_000);
    }
    await new Promise((resolve) => process.nextTick(resolve));
    process.off('warning', onWarning);
    expect(server.applied('c1')).toEqual(['1', '2']);
    expect(warnings).toEqual([
      expect.stringContaining('a listener of "request" threw (delivery goes on): listener bug'),
    ]);
  });

  it('reports its state in stats()', async () => {
    const { scheduler } = setup();
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 3; i++) scheduler.record('c1', event(i));
    expect(scheduler.stats()).toEqual({
      requests: 0,
      responses: 0,
      retries: 0,
      failures: 0,
      invalidAnswers: 0,
      eventsDelivered: 0,
      statusesDelivered: 0,
      deadLettered: 0,
      deadLetteredStatuses: 0,
      pendingEvents: 3,
      waitingEvents: 0,
      unacknowledgedEvents: 0,
      unacknowledgedBatches: 0,
      stalenessMs: 0,
      inFlight: 0,
      breaker: 'closed',
      stretch: 1,
      latencyMs: undefined,
      backpressure: false,
      campaigns: 1,
      listenerErrors: 0,
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(scheduler.stats()).toMatchObject({
      requests: 1,
      responses: 1,
      eventsDelivered: 3,
      pendingEvents: 0,
      latencyMs: 0,
    });
  });

  it('runs on an injected clock, with no global timer', async () => {
    vi.useRealTimers();
    const timers: Array<{ at: number; fn: () => void }> = [];
    let now = 0;
    const clock = {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        const timer = { at: now + ms, fn };
        timers.push(timer);
        return timer;
      },
      clearTimeout: (timer: unknown) => {
        const i = timers.indexOf(timer as (typeof timers)[number]);
        if (i >= 0) timers.splice(i, 1);
      },
    };
    const starts: number[] = [];
    const transport = Object.assign(
      async () => {
        starts.push(now);
        return { status: 200 };
      },
      { shape: 'bulk' as const },
    );
    const scheduler = new ServerUpdateScheduler({ transport, clock });
    scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
    scheduler.record('c1', { recipientId: 'r', outcome: 'sent', at: '2026-11-28T10:00:00.000Z' });
    while (timers.length > 0) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift() as (typeof timers)[number];
      now = next.at;
      next.fn();
      await new Promise((resolve) => process.nextTick(resolve));
    }
    expect(starts).toEqual([120_000]);
  });
});
