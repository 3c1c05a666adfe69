import { createMockServer, demoCampaigns, type HttpMock, listenHttp } from '@scope/mock-server';
import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createFleetBudget, type FleetBudget, fleetRedisOptions, type Grant } from '../src/index.js';
import { freePort, peakInWindow, startRedisServer, stopRedisServer, uniqueName } from './redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the time the Redis on `port` first answers a PING. */
async function answering(port: number): Promise<number> {
  const probe = new Redis(port, '127.0.0.1', { ...fleetRedisOptions, lazyConnect: true });
  probe.on('error', () => undefined);
  try {
    for (;;) {
      try {
        await probe.connect();
        await probe.ping();
        return Date.now();
      } catch {
        probe.disconnect();
        await sleep(20);
      }
    }
  } finally {
    probe.disconnect();
  }
}
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('createFleetBudget when Redis is down', () => {
  it('a Redis stopped and restarted mid-run: the fleet stays within K throughout, and no event is lost', async () => {
    const port = await freePort();
    startRedisServer(port);
    cleanup.push(() => stopRedisServer(port));
    const { budget, windowMs, workers } = { budget: 8, windowMs: 1_000, workers: 4 };
    const name = uniqueName('down');
    const campaigns = demoCampaigns({ seed: 7, campaigns: workers, recipients: 1 });
    const mock = createMockServer({ campaigns });
    const server: HttpMock = await listenHttp(mock);
    cleanup.push(() => server.close());
    const clients = Array.from({ length: workers }, () => new Redis(port, '127.0.0.1', { ...fleetRedisOptions }));
    for (const client of clients) client.on('error', () => undefined);
    cleanup.push(() => {
      for (const client of clients) client.disconnect();
    });
    const grants: Grant[] = [];
    const modes: { worker: number; mode: string; at: number }[] = [];
    const budgets: FleetBudget[] = clients.map((redis, i) => {
      const b = createFleetBudget({ redis, name, budget, windowMs, workerId: `w${i}`, heartbeatMs: 200 });
      b.on('mode', ({ mode }) => modes.push({ worker: i, mode, at: Date.now() }));
      return b;
    });
    cleanup.push(() => Promise.all(budgets.map((b) => b.close())).then(() => undefined));
    await Promise.all(budgets.map((b) => b.ready));
    const schedulers = budgets.map(
      (b, i) =>
        new ServerUpdateScheduler({
          transport: createHttpTransport({ baseUrl: server.url, shape: 'bulk' }),
          workerId: `w${i}`,
          minIntervalMs: 50,
          intervalTable: [{ maxEmailsPerMinute: Number.POSITIVE_INFINITY, intervalMs: 50 }],
          requestGate: async (request, context) => {
            grants.push(await b.acquire(request, context));
          },
        }),
    );
    const ids = campaigns.map(({ campaign }) => campaign.id);
    for (const [i, s] of schedulers.entries()) s.registerCampaign(ids[i] as string);
    let recorded = 0;
    let running = true;
    const loops = schedulers.map(async (s, i) => {
      for (let n = 0; running; n++) {
        await s.record(ids[i] as string, { recipientId: `r${n}`, outcome: 'sent', at: new Date().toISOString() });
        recorded++;
        await sleep(20);
      }
    });

    await sleep(2_000);
    stopRedisServer(port);
    await sleep(3_000);
    startRedisServer(port);
    const restartedAt = await answering(port);
    await sleep(3_000);
    running = false;
    await Promise.all(loops);
    const reports = await Promise.all(schedulers.map((s) => s.close({ timeoutMs: 10_000 })));

    // Within the budget in every sliding window, across Redis grants, static shares and the way back.
    expect(
      peakInWindow(
        grants.map((g) => g.at),
        windowMs,
      ),
    ).toBeLessThanOrEqual(budget);
    expect(grants.some((g) => g.mode === 'local')).toBe(true);
    // Each member went to its static share and came back to Redis within about a second of Redis returning.
    for (let i = 0; i < workers; i++) {
      const back = modes.find((m) => m.worker === i && m.mode === 'redis' && m.at >= restartedAt);
      expect(modes.some((m) => m.worker === i && m.mode === 'local')).toBe(true);
      expect(back).toBeDefined();
      // About a second (ioredis reconnects every 200 ms, the budget asks every 250 ms); more on a loaded machine.
      expect((back?.at ?? Number.POSITIVE_INFINITY) - restartedAt).toBeLessThanOrEqual(2_500);
    }
    // Nothing lost: every event recorded reached the server once.
    expect(reports.every((report) => report.complete)).toBe(true);
    const summary = mock.state.summary();
    expect(summary.eventsApplied).toBe(recorded);
    expect(summary.duplicateEvents).toBe(0);
  }, 30_000);

  it('a member that never reached Redis (a closed port) waits: its share is 0, never a whole budget', async () => {
    const port = await freePort();
    const redis = new Redis(port, '127.0.0.1', { ...fleetRedisOptions });
    redis.on('error', () => undefined);
    const budget = createFleetBudget({ redis, name: uniqueName('closed'), budget: 10, windowMs: 200 });
    cleanup.push(async () => {
      await budget.close();
      redis.disconnect();
    });
    const attempt = budget.acquire(undefined, { signal: AbortSignal.timeout(1_000) });
    await expect(attempt).rejects.toThrow();
    expect(budget.mode).toBe('local');
    expect(budget.localStats()).toMatchObject({ grants: 0, share: 0, members: undefined });
  });
});
