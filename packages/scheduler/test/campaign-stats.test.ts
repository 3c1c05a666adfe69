import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Behaviour, event, schedulerOnFakeServer } from './fake-server.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const ok: Behaviour = { kind: 'answer', status: 200 };

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

const setup = (behave?: (index: number) => Behaviour) => schedulerOnFakeServer({}, behave);

describe('ServerUpdateScheduler.campaignStats', () => {
  it("tells a campaign's pending events, staleness, interval and state, on the scheduler's clock", async () => {
    const { scheduler } = setup();
    scheduler.registerCampaign('slow', { emailsPerMinute: 10 });
    scheduler.record('slow', event(1));
    await vi.advanceTimersByTimeAsync(40_000);
    scheduler.record('slow', event(2));
    scheduler.setStatus('slow', { state: 'running', sent: 2, failed: 0, total: 10 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(scheduler.campaignStats('slow')).toEqual({
      campaignId: 'slow',
      state: 'running',
      pendingEvents: 2,
      unacknowledgedEvents: 0,
      stalenessMs: 60_000,
      lastAcknowledgedAt: undefined,
      eventsDelivered: 0,
      deadLettered: 0,
      intervalMs: 120_000,
    });
  });

  it('counts what was delivered and when it was last acknowledged; nothing left is no staleness', async () => {
    const { scheduler } = setup();
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 3; i++) scheduler.record('c1', event(i));
    await vi.advanceTimersByTimeAsync(30_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(scheduler.campaignStats('c1')).toMatchObject({
      pendingEvents: 0,
      unacknowledgedEvents: 0,
      stalenessMs: undefined,
      lastAcknowledgedAt: T0 + 30_000,
      eventsDelivered: 3,
      intervalMs: 30_000,
    });
  });

  it('keeps counting staleness from the first record while a batch waits for a server that is down', async () => {
    const { scheduler } = setup((i) => (i < 3 ? { kind: 'answer', status: 503 } : ok));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(30_000); // the first request fails
    scheduler.record('c1', event(2));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(scheduler.campaignStats('c1')).toMatchObject({
      pendingEvents: 1,
      unacknowledgedEvents: 1,
      stalenessMs: 60_000,
    });
    expect(scheduler.stats()).toMatchObject({ stalenessMs: 60_000, pendingEvents: 1, unacknowledgedEvents: 1 });
    const flushed = scheduler.flush();
    await vi.advanceTimersByTimeAsync(600_000);
    await flushed;
    expect(scheduler.campaignStats('c1')).toMatchObject({ eventsDelivered: 2, stalenessMs: undefined });
    expect(scheduler.stats().stalenessMs).toBeUndefined();
  });

  it('counts the events of a campaign refused for good', async () => {
    const { scheduler } = setup(() => ({ kind: 'answer', status: 400, message: 'bad' }));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    scheduler.record('c1', event(2));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(scheduler.campaignStats('c1')).toMatchObject({
      deadLettered: 2,
      eventsDelivered: 0,
      stalenessMs: undefined,
    });
  });

  it('lists every campaign registered; one unknown or finished and forgotten is undefined', async () => {
    const { scheduler } = setup();
    scheduler.registerCampaign('a', { emailsPerMinute: 10 });
    scheduler.registerCampaign('b', { emailsPerMinute: 300 });
    scheduler.record('b', event(1));
    scheduler.setStatus('b', { state: 'completed', sent: 1, failed: 0, total: 1 });
    expect(scheduler.campaignStats().map((s) => [s.campaignId, s.state, s.intervalMs])).toEqual([
      ['a', undefined, 120_000],
      ['b', 'completed', 30_000],
    ]);
    expect(scheduler.campaignStats('nope')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(scheduler.campaignStats('b')).toBeUndefined();
    expect(scheduler.campaignStats().map((s) => s.campaignId)).toEqual(['a']);
  });

  it('stretches the interval it tells while the server is slow', async () => {
    const { scheduler } = setup(() => ({ kind: 'answer', status: 429 }));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(scheduler.stats().stretch).toBe(1.5);
    expect(scheduler.campaignStats('c1')?.intervalMs).toBe(45_000);
  });
});

describe('ServerUpdateScheduler.stats: staleness', () => {
  it('is the oldest update not yet acknowledged, over every campaign', async () => {
    const { scheduler } = setup();
    scheduler.registerCampaign('slow', { emailsPerMinute: 10 });
    scheduler.registerCampaign('fast', { emailsPerMinute: 300 });
    expect(scheduler.stats().stalenessMs).toBeUndefined();
    scheduler.record('slow', event(1));
    await vi.advanceTimersByTimeAsync(10_000);
    scheduler.record('fast', event(2));
    await vi.advanceTimersByTimeAsync(25_000);
    expect(scheduler.stats().stalenessMs).toBe(35_000);
    await vi.advanceTimersByTimeAsync(85_000); // fast went at 40 s, slow at 120 s
    expect(scheduler.stats()).toMatchObject({ stalenessMs: undefined, eventsDelivered: 2 });
  });
});
