import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BreakerEvent, type DeadLetter, ServerUpdateScheduler } from '../src/index.js';
import { type Behaviour, createFakeServer, event } from './fake-server.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const MINUTE = 60_000;
const since = () => Date.now() - T0;

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

/**
 * A worker loop in virtual time: each campaign records at its rate (awaiting `record()`, as a worker must) and
 * posts a running status every minute, for `minutes`; then completes.
 */
async function runWorker(scheduler: ServerUpdateScheduler, rates: Record<string, number>, minutes: number) {
  const sent: Record<string, number> = {};
  const loops = Object.entries(rates).map(async ([campaignId, rate]) => {
    scheduler.registerCampaign(campaignId, { emailsPerMinute: rate, total: rate * minutes });
    sent[campaignId] = 0;
    const every = MINUTE / rate;
    for (let i = 0; i < rate * minutes; i++) {
      await new Promise((resolve) => setTimeout(resolve, every));
      await scheduler.record(campaignId, event(`${campaignId}-${i}`));
      sent[campaignId]++;
      if (sent[campaignId] % rate === 0) {
        scheduler.setStatus(campaignId, { state: 'running', sent: sent[campaignId], failed: 0, total: rate * minutes });
      }
    }
    scheduler.setStatus(campaignId, { state: 'completed', sent: sent[campaignId], failed: 0, total: rate * minutes });
  });
  const done = Promise.all(loops);
  await vi.advanceTimersByTimeAsync(minutes * MINUTE + 1);
  await done;
  return sent;
}

function expectExactlyOnce(
  server: ReturnType<typeof createFakeServer>,
  rates: Record<string, number>,
  minutes: number,
) {
  for (const [campaignId, rate] of Object.entries(rates)) {
    const expected = Array.from({ length: rate * minutes }, (_, i) => `${campaignId}-${i}`);
    expect(server.applied(campaignId)).toEqual(expected);
    expect(server.statuses.get(campaignId)?.at(-1)?.state).toBe('completed');
  }
}

describe('scenarios', () => {
  it('a 10-minute outage: updates queue, the breaker holds requests back, nothing is lost', async () => {
    const outage = (now: number) => now - T0 >= 5 * MINUTE && now - T0 < 15 * MINUTE;
    const server = createFakeServer({
      behave: (_b, _i, now): Behaviour => (outage(now) ? { kind: 'network-error' } : { kind: 'answer', status: 200 }),
    });
    const scheduler = new ServerUpdateScheduler({ transport: server.transport });
    const breaker: Array<[number, BreakerEvent['state']]> = [];
    scheduler.on('breaker', (b) => breaker.push([Math.round(since() / 1000), b.state]));
    const rates = { slow: 10, medium: 40, fast: 300 };
    await runWorker(scheduler, rates, 30);
    // The fast campaign's backlog drains at 100 events per 15 s: give close the time it needs.
    const closing = scheduler.close({ timeoutMs: 30 * MINUTE });
    await vi.runAllTimersAsync();
    const report = await closing;
    expect(report.complete).toBe(true);
    expectExactlyOnce(server, rates, 30);
    const duringOutage = server.log.filter((r) => outage(r.at));
    // Five failures open the breaker; then one probe per growing cool-down (30 s, 60 s, 120 s, 240 s...).
    expect(duringOutage.length).toBeLessThanOrEqual(10);
    expect(breaker.map(([, state]) => state)).toContain('open');
    // It closes at the first probe after the outage: at most one capped cool-down (8 min here) after it ends.
    expect(breaker.at(-1)?.[1]).toBe('closed');
    expect(breaker.at(-1)?.[0]).toBeLessThanOrEqual(15 * 60 + 8 * 60);
    const firstAfter = server.log.find((r) => r.at - T0 >= 15 * MINUTE);
    expect(firstAfter).toBeDefined();
    expect(scheduler.stats().deadLettered).toBe(0);
  });

  it('a slow server that throttles: intervals stretch, Retry-After is honoured, they relax after, everything arrives', async () => {
    let n = 0;
    const slow = (now: number) => now - T0 < 10 * MINUTE;
    const server = createFakeServer({
      behave: (_b, _i, now): Behaviour => {
        if (!slow(now)) return { kind: 'answer', status: 200, latencyMs: 100 };
        return ++n % 3 === 0
          ? { kind: 'answer', status: 429, retryAfterMs: 45_000, latencyMs: 3_000 }
          : { kind: 'answer', status: 200, latencyMs: 3_000 };
      },
    });
    const scheduler = new ServerUpdateScheduler({ transport: server.transport });
    const rates = { a: 40, b: 100 };
    const stretchAt: Array<[number, number]> = [];
    scheduler.on('response', () => stretchAt.push([since(), scheduler.stats().stretch]));
    await runWorker(scheduler, rates, 30);
    const closing = scheduler.close({ timeoutMs: 30 * MINUTE });
    await vi.runAllTimersAsync();
    expect((await closing).complete).toBe(true);
    expectExactlyOnce(server, rates, 30);
    // Slow and throttling: the stretch climbs to its cap; healthy again: it relaxes back to 1.
    const whileSlow = stretchAt.filter(([at]) => at < 10 * MINUTE).map(([, s]) => s);
    expect(Math.max(...whileSlow)).toBe(8);
    expect(stretchAt.at(-1)?.[1]).toBe(1);
    // A request after a 429 waits its Retry-After (45 s from the answer, which came 3 s after the request).
    server.log.forEach((request, i) => {
      if (i % 3 === 0 && i > 0 && slow(request.at)) {
        expect(request.at - (server.log[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(48_000);
      }
    });
    // The spacing itself is never stretched (the waits of campaigns are): no request closer than 15 s.
    expect(Math.min(...server.gaps())).toBeGreaterThanOrEqual(15_000);
  });

  it('answers lost after the server applied a batch: the retry carries the same id, the server applies it once', async () => {
    let n = 0;
    const server = createFakeServer({
      behave: (): Behaviour => (++n % 2 === 0 ? { kind: 'lose-answer' } : { kind: 'answer', status: 200 }),
    });
    const scheduler = new ServerUpdateScheduler({ transport: server.transport });
    const rates = { a: 100, b: 10 };
    await runWorker(scheduler, rates, 15);
    const closing = scheduler.close({ timeoutMs: 30 * MINUTE });
    await vi.runAllTimersAsync();
    expect((await closing).complete).toBe(true);
    expectExactlyOnce(server, rates, 15);
    const ids = server.log.map((r) => r.batchId);
    expect(new Set(ids).size).toBeLessThan(ids.length);
    expect(scheduler.stats().retries).toBeGreaterThan(0);
  });

  it('400 on one campaign and 413 on large payloads: the bad campaign is dead-lettered, the rest delivered once', async () => {
    const server = createFakeServer({
      behave: (batch): Behaviour => {
        if (batch.campaigns.some((c) => c.campaignId === 'bad'))
          return { kind: 'answer', status: 400, message: 'unknown campaign' };
        const events = batch.campaigns.reduce((count, c) => count + c.events.length, 0);
        return events > 60 ? { kind: 'answer', status: 413 } : { kind: 'answer', status: 200 };
      },
    });
    const scheduler = new ServerUpdateScheduler({ transport: server.transport, minIntervalMs: 5_000 });
    const letters: DeadLetter[] = [];
    scheduler.on('deadletter', (letter) => letters.push(letter));
    const rates = { a: 300, b: 100, c: 40 };
    scheduler.registerCampaign('bad', { emailsPerMinute: 40 });
    for (let i = 0; i < 5; i++) scheduler.record('bad', event(`bad-${i}`));
    await runWorker(scheduler, rates, 10);
    const closing = scheduler.close({ timeoutMs: 30 * MINUTE });
    await vi.runAllTimersAsync();
    expect((await closing).complete).toBe(true);
    expectExactlyOnce(server, rates, 10);
    expect(server.events.has('bad')).toBe(false);
    expect(letters.flatMap((l) => l.events.map((e) => e.recipientId)).sort()).toEqual([
      'bad-0',
      'bad-1',
      'bad-2',
      'bad-3',
      'bad-4',
    ]);
    expect(letters.every((l) => l.campaignId === 'bad' && l.reason === 'HTTP 400: unknown campaign')).toBe(true);
  });

  it('close against a dead server: resolves at the deadline with every undelivered event in the report', async () => {
    const server = createFakeServer({ behave: (): Behaviour => ({ kind: 'network-error' }) });
    const scheduler = new ServerUpdateScheduler({ transport: server.transport });
    const rates = { a: 100, b: 40 };
    await runWorker(scheduler, rates, 5);
    const closing = scheduler.close({ timeoutMs: 20_000 });
    let settled = false;
    void closing.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(19_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const report = await closing;
    expect(report.complete).toBe(false);
    const left = [...report.unsent, ...report.unacknowledged.flatMap((b) => b.campaigns)];
    const ids = left.flatMap((u) => u.events.map((e) => e.recipientId));
    expect(ids).toHaveLength(500 + 200);
    expect(new Set(ids).size).toBe(700);
    expect(report.eventsLeft).toBe(700);
    // The newest status of each campaign is among what is left (older ones may sit in unacknowledged batches).
    expect(report.unsent.map((u) => [u.campaignId, u.status?.state])).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
    ]);
    expect(report.statusesLeft).toBeGreaterThanOrEqual(2);
  });

  it('backpressure: a worker that awaits record() slows down while the server is down, memory stays bounded', async () => {
    const down = (now: number) => now - T0 < 20 * MINUTE;
    const server = createFakeServer({
      behave: (_b, _i, now): Behaviour =>
        down(now) ? { kind: 'answer', status: 503 } : { kind: 'answer', status: 200 },
    });
    const scheduler = new ServerUpdateScheduler({ transport: server.transport, maxPendingEvents: 500 });
    let maxHeld = 0;
    const signals: boolean[] = [];
    scheduler.on('backpressure', (b) => signals.push(b.active));
    scheduler.registerCampaign('fast', { emailsPerMinute: 300 });
    let recorded = 0;
    const loop = (async () => {
      for (let i = 0; i < 3000; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await scheduler.record('fast', event(`fast-${i}`));
        recorded++;
        const s = scheduler.stats();
        maxHeld = Math.max(maxHeld, s.pendingEvents - s.waitingEvents + s.unacknowledgedEvents);
      }
      scheduler.setStatus('fast', { state: 'completed', sent: 3000, failed: 0, total: 3000 });
    })();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    // Unhindered, the loop records 3000 in 10 minutes; with the server down it waits for room after 500.
    expect(recorded).toBeLessThanOrEqual(500);
    expect(signals).toEqual([true]);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    await loop;
    const closing = scheduler.close({ timeoutMs: 30 * MINUTE });
    await vi.runAllTimersAsync();
    expect((await closing).complete).toBe(true);
    expect(maxHeld).toBeLessThanOrEqual(500);
    expect(signals.at(-1)).toBe(false);
    expect(server.applied('fast')).toEqual(Array.from({ length: 3000 }, (_, i) => `fast-${i}`));
  });
});
