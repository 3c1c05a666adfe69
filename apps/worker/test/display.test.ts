import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CampaignProgress } from '../src/campaign-runner.js';
import { showProgress } from '../src/progress/display.js';
import { fitToTerminal } from '../src/progress/fit.js';
import { duration, progressLines } from '../src/progress/render.js';
import { buildSummary, formatSummary } from '../src/summary.js';

const ESC = '\x1b';
const T0 = Date.parse('2026-11-28T10:00:00Z');
const campaign = (fields: Partial<CampaignProgress>): CampaignProgress => ({
  id: 'c1',
  name: 'Demo 1',
  emailsPerMinute: 60,
  total: 120,
  sent: 0,
  failed: 0,
  inDoubt: 0,
  bounced: 0,
  startedAt: T0,
  endedAt: undefined,
  state: 'running',
  pausedBecause: undefined,
  ...fields,
});
const server = {
  requests: 3,
  byEndpoint: { 'POST /api/updates': 3 },
  minGapMs: 15_000,
  peakInFlight: 1,
  retries: 1,
  failures: 1,
  breaker: 'closed' as const,
  lastProblem: null,
};

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

describe('progress', () => {
  it('shows done/total, the failures, the rate, the ETA and the server requests', () => {
    const lines = progressLines([campaign({ sent: 58, failed: 1, bounced: 1 })], server, T0 + 60_000);
    expect(lines).toEqual([
      'Demo 1    [##########..........]    60/120     60/min  eta 1m00s  running  1 failed',
      'server: 3 requests (POST /api/updates 3), 1 failed, retries 1',
    ]);
    expect(duration(65_000)).toBe('1m05s');
  });

  it('shows a failing server as it fails: the breaker, the last error and when the next try goes', () => {
    const failing = { ...server, breaker: 'open' as const, lastProblem: 'network error: ECONNREFUSED; retry in 15s' };
    const paused = campaign({ failed: 6, state: 'paused', pausedBecause: 'SMTP server 127.0.0.1:1: 6 of 10 failed' });
    expect(progressLines([paused], failing, T0)).toEqual([
      'Demo 1    [#...................]     6/120      0/min  eta -      paused (SMTP server 127.0.0.1:1: 6 of 10 failed)  6 failed',
      'server: 3 requests (POST /api/updates 3), 1 failed, retries 1, breaker open; last: network error: ECONNREFUSED; retry in 15s',
    ]);
  });

  it('fits the live block to a 60-column terminal: no line wraps, so the redraw lands where the block was', () => {
    const out = Object.assign(new PassThrough(), { columns: 60, rows: 24 });
    let written = '';
    out.on('data', (chunk) => (written += chunk));
    const long = campaign({ name: 'A campaign with a name far too long for a narrow terminal', failed: 3 });
    const failing = { ...server, breaker: 'open' as const, lastProblem: 'network error: ECONNREFUSED; retry in 15s' };
    const live = showProgress('live', out, [long, campaign({ id: 'c2' })], () => failing);
    vi.advanceTimersByTime(500);
    live.stop();
    const draws = written.split(new RegExp(`${ESC}\\[\\d+A`));
    expect(draws.length).toBeGreaterThan(2);
    for (const draw of draws) {
      const lines = draw.replace(`${ESC}[J`, '').split('\n').filter(Boolean);
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(line.length).toBeLessThan(60);
    }
    expect(written).toContain('\x1b[3A');
    expect(written).toContain('…');
  });

  it('keeps a block taller than the terminal within it, with the server line last', () => {
    const many = Array.from({ length: 30 }, (_, i) => campaign({ id: `c${i}`, name: `Campaign ${i}` }));
    const fitted = fitToTerminal(progressLines(many, server, T0), { columns: 60, rows: 10 });
    expect(fitted).toHaveLength(9);
    expect(fitted[7]).toBe('… and 23 more');
    expect(fitted[8]).toMatch(/^server: /);
  });

  it('redraws in place on a terminal, and writes timestamped lines to a log', () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk) => (written += chunk));
    const live = showProgress('live', out, [campaign({})], () => server);
    vi.advanceTimersByTime(500);
    live.stop();
    expect(written).toContain('\x1b[2A\x1b[J');
    written = '';
    const plain = showProgress('plain', out, [campaign({})], () => server);
    vi.advanceTimersByTime(10_000);
    plain.stop();
    expect(
      written
        .split('\n')
        .filter(Boolean)
        .every((line) => /^\d\d:\d\d:\d\d /.test(line)),
    ).toBe(true);
    expect(written).not.toContain('\x1b[');
  });
});

describe('summary', () => {
  it('tells per campaign and for the server, and says where undelivered updates were kept', () => {
    const summary = buildSummary({
      campaigns: [campaign({ sent: 100, failed: 15, bounced: 5, endedAt: T0 + 120_000, state: 'completed' })],
      server,
      target: 'embedded mock',
      shape: 'bulk',
      report: {
        complete: false,
        eventsDelivered: 110,
        deadLettered: 0,
        eventsLeft: 10,
        statusesLeft: 1,
        unsent: [],
        unacknowledged: [],
        stats: { statusesDelivered: 4, deadLetteredStatuses: 0 } as never,
      },
      duplicates: 0,
      eventsAtServer: 110,
      inDoubtFile: null,
      undeliveredFile: '/data/undelivered.json',
      mailTarget: 'embedded SMTP sink',
      mailReceived: 100,
      fleet: null,
      fenced: { events: 0, statuses: 0 },
    });
    const text = formatSummary(summary);
    expect(text).toContain('Demo 1          60   100      15        5    120     2m00s  completed');
    expect(text).toContain('minimum gap between requests  15.0s');
    expect(text).toContain(
      'NOT delivered: 10 events and 1 statuses left (kept in the outbox, sent at the next start), 0 events and 0 statuses refused; exported to /data/undelivered.json',
    );
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});
