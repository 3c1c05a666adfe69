import { createRequire } from 'node:module';
import { createMockServer, type MockServer, type RequestLogEntry, startInProcess } from '@scope/mock-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const require = createRequire(import.meta.url);
const { processCampaign } = require('../src/campaign.js') as {
  processCampaign: (campaign: unknown, deps: unknown) => Promise<{ sent: number; failed: number; total: number }>;
};

const T0 = Date.parse('2026-11-28T10:00:00Z');
const serverUrl = 'http://main.mock';
// An SMTP transport that answers at once (the worker's pacing, not the mail server, sets the rhythm here).
const transporter = { sendMail: async () => ({ messageId: `<${Math.random()}@test>` }) };

let stop: (() => void) | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.spyOn(Math, 'random').mockReturnValue(0.5); // the 10-25 s window is 17.5 s
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  stop?.();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Runs one demo campaign of the given rate through the legacy worker, in virtual time. */
async function run(rate: number, recipients: number, faults = {}) {
  const mock: MockServer = createMockServer({ campaigns: { campaigns: 1, rates: [rate], recipients }, faults });
  stop = startInProcess(mock);
  const campaign = [...mock.state.campaigns.values()][0];
  const done = processCampaign(campaign, { transporter, serverUrl });
  await vi.advanceTimersByTimeAsync((recipients / rate) * 60_000 + 120_000);
  const result = await done;
  const at = (entry: RequestLogEntry) => (entry.at - T0) / 1000;
  const events = mock.state.log.filter((e) => e.endpoint === 'events');
  const statuses = mock.state.log.filter((e) => e.endpoint === 'status');
  return { mock, result, events, statuses, at };
}

describe('legacy worker request pattern (the baseline)', () => {
  it('slow campaign (10/min): posts its buffer within the 10-25 s window, status every 60 s and every 10 emails', async () => {
    const { events, statuses, at, mock, result } = await run(10, 40);
    expect(result).toEqual({ sent: 40, failed: 0, total: 40 });
    expect(events.every((e) => e.events < 50)).toBe(true);
    // With one email every 6 s, each window of 17.5 s collects 3 events: a post every 18 s (the last post,
    // the final flush when the campaign ends, comes whenever it ends).
    const gaps = events.slice(1, -1).map((e, i) => at(e) - at(events[i] as RequestLogEntry));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(25 + 6);
    expect(events.length).toBeGreaterThanOrEqual(12);
    // Status: at start, each minute by the interval, after every 10 emails, and at the end.
    const statusTimes = statuses.map(at);
    expect(statusTimes.filter((t) => t > 0 && t % 60 === 0).length).toBeGreaterThanOrEqual(3);
    expect(statuses.length).toBeGreaterThanOrEqual(1 + 3 + 4 + 1);
    expect(mock.state.summary().eventsApplied).toBe(40);
    expect(mock.state.statuses.get([...mock.state.campaigns.keys()][0] as string)?.state).toBe('completed');
  });

  it('fast campaign (300/min): posts every 50 events (every ~10 s), status every 60 s and every 300 emails', async () => {
    const { events, statuses, at, mock } = await run(300, 900);
    expect(
      events
        .map((e) => e.events)
        .slice(0, -1)
        .every((n) => n === 50),
    ).toBe(true);
    const gaps = events.slice(1, -1).map((e, i) => at(e) - at(events[i] as RequestLogEntry));
    expect(gaps.every((g) => g >= 9.8 && g <= 10.2)).toBe(true);
    expect(events.length).toBe(18);
    // 1 at start, 3 after each 300 emails, 2 by the 60 s interval (3 minutes of sending), 1 at the end.
    expect(statuses.length).toBeGreaterThanOrEqual(6);
    const summary = mock.state.summary();
    expect(summary.eventsApplied).toBe(900);
    // The baseline's load: a request every ~9 s for a single campaign.
    expect(summary.requests).toBeGreaterThan(20);
  });

  it('loses events in an outage: each post is retried three times at once, then dropped', async () => {
    const { events, mock, result } = await run(300, 900, { outages: [{ fromMs: 30_000, toMs: 90_000 }] });
    expect(result.sent).toBe(900);
    const failedPosts = events.filter((e) => e.fault === 'outage');
    // Three immediate attempts per lost update, no spacing between them.
    expect(failedPosts.length % 3).toBe(0);
    expect(failedPosts.length).toBeGreaterThanOrEqual(15);
    const applied = mock.state.summary().eventsApplied;
    const lost = 900 - applied;
    console.log(`legacy worker in a 60 s outage: ${lost} of 900 events lost, ${failedPosts.length} failed posts`);
    expect(lost).toBeGreaterThanOrEqual(250);
    expect(console.error).toHaveBeenCalledWith(expect.stringMatching(/dropped 50 events/));
  });
});
