import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestLogEntry } from '@scope/mock-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { isSmtpUnavailableError } from '../src/errors/SmtpUnavailableError.js';
import { exitCodeOf } from '../src/exit-codes.js';
import { runWorker, type WorkerIo, type WorkerRun } from '../src/worker.js';
import { closedPort, embeddedConfig, tempDir, writeCampaigns } from './helpers.js';

// End to end, in this process, in real time on short campaigns: the embedded msw mock, the real SMTP sink on
// loopback, nodemailer's pooled transport, and the scheduler. Nothing asserts on timing beyond the spacing floor.
const neverStop = new AbortController().signal;
const quiet = {
  out: process.stdout,
  progress: 'off',
  stopping: neverStop,
  log: () => undefined,
  warn: () => undefined,
} as const;

function updateRequests(log: readonly RequestLogEntry[]) {
  return log.filter((entry) => entry.endpoint === 'bulk' || entry.endpoint === 'events' || entry.endpoint === 'status');
}

// A run that outlived its test (a failed assertion) would go on answering the next test's requests with its own
// mock (msw intercepts every fetch of the process): each run started in the background is stopped and awaited.
const background: Array<{ stop: AbortController; run: Promise<unknown> }> = [];
afterEach(async () => {
  for (const { stop, run } of background.splice(0)) {
    stop.abort();
    await run.catch(() => undefined);
  }
});

function inBackground(config: WorkerConfig, io: WorkerIo): Promise<WorkerRun> {
  const stop = new AbortController();
  const run = runWorker(config, { ...io, stopping: stop.signal });
  background.push({ stop, run });
  return run;
}

/** The worker's mock is made inside runWorker (after the SMTP check): reach it once it answers, in-process. */
async function untilServing(): Promise<void> {
  const answers = () =>
    fetch('http://main.mock/__mock/summary').then(
      (r) => r.ok,
      () => false,
    );
  while (!(await answers())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('runWorker', () => {
  it.each(['bulk', 'legacy'] as const)(
    'sends every recipient once, delivers every event once and the final statuses, and keeps the spacing (%s)',
    async (shape) => {
      const dir = tempDir();
      const config = embeddedConfig({ shape, campaignsFile: writeCampaigns(dir, [1200, 600, 300], [30, 12, 6]) });
      const { summary, mock, mailReceived } = await runWorker(config, {
        out: process.stdout,
        progress: 'off',
        stopping: neverStop,
        log: () => undefined,
        warn: () => undefined,
      });
      if (!mock || !mailReceived) throw new Error('expected the embedded mock and sink');

      // The SMTP sink got each deliverable recipient exactly once; bounced addresses were refused by it.
      const recipients = JSON.parse(readFileSync(config.campaignsFile as string, 'utf8')).campaigns.flatMap(
        (c: { recipients: Array<{ email: string }> }) => c.recipients.map((r) => r.email),
      ) as string[];
      const deliverable = recipients.filter((email) => !email.startsWith('bounce-'));
      expect([...mailReceived.keys()].sort()).toEqual([...deliverable].sort());
      expect([...mailReceived.values()].every((count) => count === 1)).toBe(true);

      // The mock holds every event exactly once, with the right outcomes, and each campaign's final status.
      for (const [id, size] of [
        ['c1', 30],
        ['c2', 12],
        ['c3', 6],
      ] as const) {
        const events = mock.state.events.get(id) ?? [];
        expect(events.map((e) => e.recipientId).sort()).toEqual(
          Array.from({ length: size }, (_, i) => `${id}-r${i + 1}`).sort(),
        );
        expect(mock.state.statuses.get(id)).toMatchObject({ state: 'completed', total: size });
      }
      expect(mock.state.events.get('c1')?.filter((e) => e.outcome === 'bounced')).toHaveLength(4);
      expect(mock.state.summary().duplicateEvents).toBe(0);

      // No two update requests start closer than minIntervalMs (the worker's own clock, exact). The server's
      // arrival times add the event loop's jitter on a busy machine (real time here), so they get some slack.
      expect(summary.server.minGapMs).toBeGreaterThanOrEqual(300);
      const arrivals = updateRequests(mock.state.log).map((e) => e.at);
      for (let i = 1; i < arrivals.length; i++)
        expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(300 - 100);

      expect(summary.delivery).toMatchObject({ complete: true, eventsLeft: 0 });
      expect(summary.campaigns.map((c) => [c.id, c.sent, c.bounced, c.state])).toEqual([
        ['c1', 26, 4, 'completed'],
        ['c2', 12, 0, 'completed'],
        ['c3', 6, 0, 'completed'],
      ]);
      expect(summary.server.eventsDelivered).toBe(48);
      expect(JSON.parse(readFileSync(join(config.dataDir, 'last-run.json'), 'utf8')).server.eventsDelivered).toBe(48);
    },
    60_000,
  );

  it('rides out an outage of the main server and still ends with nothing lost', async () => {
    const dir = tempDir();
    const config = embeddedConfig({
      campaignsFile: writeCampaigns(dir, [600, 300], [40, 20]),
      minIntervalMs: 200,
      // Both campaigns end at about 4 s: their final updates go into the outage and must come through after it.
      faults: { outages: [{ fromMs: 1_000, toMs: 5_000 }] },
    });
    const { summary, mock } = await runWorker(config, {
      out: process.stdout,
      progress: 'off',
      stopping: neverStop,
      log: () => undefined,
      warn: () => undefined,
      schedulerOptions: { breakerCooldownMs: 500, maxBreakerCooldownMs: 1_000, backoffBaseMs: 100, maxBackoffMs: 500 },
    });
    if (!mock) throw new Error('expected the embedded mock');
    expect(mock.state.log.some((e) => e.fault === 'outage')).toBe(true);
    expect(summary.delivery.complete).toBe(true);
    expect(mock.state.summary()).toMatchObject({ eventsApplied: 60, duplicateEvents: 0 });
    expect(mock.state.statuses.get('c1')?.state).toBe('completed');
    expect(summary.server.retries).toBeGreaterThan(0);
    expect(existsSync(join(config.dataDir, 'last-run.json'))).toBe(true);
  }, 60_000);

  it('obeys a campaign cancelled by the server in its bulk answer, without extra requests', async () => {
    const dir = tempDir();
    // c1 fills a batch of 100 events after about 5 s: that request's answer carries the cancellation.
    const config = embeddedConfig({ campaignsFile: writeCampaigns(dir, [1200, 600], [200, 10]), minIntervalMs: 200 });
    const running = inBackground(config, quiet);
    await untilServing();
    await fetch('http://main.mock/__mock/control', {
      method: 'POST',
      body: JSON.stringify({ campaignId: 'c1', state: 'cancelled' }),
    });
    const { summary, mock } = await running;
    const c1 = summary.campaigns.find((c) => c.id === 'c1');
    expect(c1?.state).toBe('cancelled');
    expect((c1?.sent ?? 0) + (c1?.bounced ?? 0)).toBeLessThan(200);
    expect(mock?.state.statuses.get('c1')?.state).toBe('cancelled');
    expect(summary.campaigns.find((c) => c.id === 'c2')?.state).toBe('completed');
    // No polling: the worker read c1's two pages of recipients and nothing else of it.
    expect(
      mock?.state.log.filter((e) => e.endpoint === 'intake' && e.path.startsWith('/api/campaigns/c1')),
    ).toHaveLength(2);
  }, 60_000);

  it('pauses a campaign when the server says so in its bulk answer, and resumes when it says running', async () => {
    const dir = tempDir();
    const config = embeddedConfig({ campaignsFile: writeCampaigns(dir, [1200], [100]), minIntervalMs: 200 });
    const running = inBackground(config, {
      ...quiet,
      // Report every second, so the test need not wait out the 30 s interval of a 1200/min campaign.
      schedulerOptions: { intervalTable: [{ maxEmailsPerMinute: Number.POSITIVE_INFINITY, intervalMs: 1_000 }] },
    });
    const control = (state: string) =>
      fetch('http://main.mock/__mock/control', { method: 'POST', body: JSON.stringify({ campaignId: 'c1', state }) });
    const stateAtServer = async () => (await (await fetch('http://main.mock/api/campaigns/c1')).json()).state;
    await untilServing();
    await control('paused');
    for (let i = 0; i < 100 && (await stateAtServer()) !== 'paused'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await stateAtServer()).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Still paused: nothing more was sent while the server said so.
    const paused = await stateAtServer();
    await control('running');
    const { summary, mock } = await running;
    expect(paused).toBe('paused');
    expect(summary.campaigns[0]).toMatchObject({ state: 'completed', sent: 86, bounced: 14 });
    expect(mock?.state.statuses.get('c1')?.state).toBe('completed');
    expect(mock?.state.summary()).toMatchObject({ eventsApplied: 100, duplicateEvents: 0 });
  }, 60_000);

  it('keeps and reports what the server refused for good, and does not call the run delivered', async () => {
    const dir = tempDir();
    const config = embeddedConfig({
      campaignsFile: writeCampaigns(dir, [1200], [10]),
      minIntervalMs: 100,
      faults: { errorRate: 1 },
    });
    const { summary } = await runWorker(config, {
      out: process.stdout,
      progress: 'off',
      stopping: neverStop,
      log: () => undefined,
      warn: () => undefined,
      // Give up at the first failure, so every update becomes a dead letter.
      schedulerOptions: { maxAttempts: 1 },
    });
    expect(summary.server.deadLettered).toBe(10);
    expect(summary.server.deadLetteredStatuses).toBeGreaterThan(0);
    expect(summary.delivery.complete).toBe(false);
    const kept = JSON.parse(readFileSync(summary.delivery.undeliveredFile as string, 'utf8'));
    expect(kept.deadLetters.flatMap((l: { events: unknown[] }) => l.events)).toHaveLength(10);
    expect(kept.deadLetters[0].reason).toMatch(/gave up after 1 attempts; last: HTTP 500/);
  }, 60_000);

  it('refuses to start when the SMTP server cannot be reached, naming it and the cause, before any campaign', async () => {
    const port = await closedPort();
    const config = embeddedConfig({ smtpUrl: `smtp://127.0.0.1:${port}` });
    const error = await runWorker(config, quiet).catch((e: unknown) => e);
    expect(isSmtpUnavailableError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `SMTP server 127.0.0.1:${port} cannot be used: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    // Nothing was taken: no outbox, no journal, no summary.
    expect(existsSync(join(config.dataDir, 'worker.db'))).toBe(false);
  });

  it('pauses a campaign whose sends mostly fail, names SMTP, and still delivers what it recorded', async () => {
    const dir = tempDir();
    const file = join(dir, 'campaigns.json');
    const recipients = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `${prefix}-r${i + 1}`, email: `${prefix}-${i + 1}@example.test` }));
    // The sink answers 451 (try later) to every `busy-` address: a mail server that is up and failing every send.
    const campaigns = [
      { id: 'c1', emailsPerMinute: 1200, recipients: recipients('busy', 30) },
      { id: 'c2', emailsPerMinute: 1200, recipients: recipients('user', 5) },
    ];
    writeFileSync(file, JSON.stringify({ campaigns }));
    const { summary, mock } = await runWorker(embeddedConfig({ campaignsFile: file, minIntervalMs: 100 }), quiet);
    const [c1, c2] = summary.campaigns;
    expect(c1).toMatchObject({ state: 'paused', failed: 10, sent: 0 });
    expect(c1?.pausedBecause).toMatch(
      /^SMTP server 127\.0\.0\.1:\d+: 10 of the last 10 sends failed \(last: .*451 mailbox busy, try again later\)$/,
    );
    expect(c2).toMatchObject({ state: 'completed', sent: 5, pausedBecause: null });
    expect(exitCodeOf(summary)).toBe(4);
    // The ten failures reached the server, and so did the pause: the campaign is left to be taken up again.
    expect(mock?.state.events.get('c1')?.map((e) => e.outcome)).toEqual(Array(10).fill('failed'));
    expect(mock?.state.statuses.get('c1')).toMatchObject({ state: 'paused', failed: 10 });
    expect(summary.delivery).toMatchObject({ complete: true, eventsLeft: 0 });
  }, 60_000);

  it('pauses a campaign whose sends cross the failure limit on its last recipient, as it would mid-campaign', async () => {
    const dir = tempDir();
    const file = join(dir, 'campaigns.json');
    // Ten recipients, a window of ten: the window is full, and over the limit, only with the last one's failure.
    const recipients = Array.from({ length: 10 }, (_, i) => ({ id: `r${i + 1}`, email: `busy-${i + 1}@example.test` }));
    writeFileSync(file, JSON.stringify({ campaigns: [{ id: 'c1', emailsPerMinute: 1200, recipients }] }));
    const config = embeddedConfig({ campaignsFile: file, minIntervalMs: 100 });
    const { summary, mock } = await runWorker(config, quiet);
    const [c1] = summary.campaigns;
    expect(c1).toMatchObject({ state: 'paused', failed: 10, sent: 0 });
    expect(c1?.pausedBecause).toMatch(/^SMTP server 127\.0\.0\.1:\d+: 10 of the last 10 sends failed \(last: .*451/);
    expect(exitCodeOf(summary)).toBe(4);
    expect(mock?.state.events.get('c1')?.map((e) => e.outcome)).toEqual(Array(10).fill('failed'));
    expect(mock?.state.statuses.get('c1')).toMatchObject({ state: 'paused', failed: 10 });
    expect(summary.delivery).toMatchObject({ complete: true, eventsLeft: 0 });
    // Taken up at the next start, as a paused campaign is: nothing is left to send, so it completes.
    const again = await runWorker(config, quiet);
    expect(again.summary.campaigns).toMatchObject([{ id: 'c1', state: 'completed', failed: 10, pausedBecause: null }]);
    expect(again.mailReceived?.size).toBe(0);
    expect(exitCodeOf(again.summary)).toBe(0);
  }, 60_000);
});
