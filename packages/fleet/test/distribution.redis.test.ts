import { createMockServer, type DemoCampaign, demoCampaigns, type HttpMock, listenHttp } from '@scope/mock-server';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CampaignDistributor,
  createCampaignDistributor,
  createCampaignQueue,
  createFleetBudget,
  type FleetBudget,
  jainIndex,
} from '../src/index.js';
import { type Child, startChild, stopChildren } from './children.js';
import { connections, REDIS_URL, removeFleet, uniqueName } from './redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function admin(name: string): Redis {
  const [redis] = connections(1) as [Redis];
  cleanup.push(async () => {
    await removeFleet(redis, name);
    redis.disconnect();
  });
  return redis;
}

const owned = (children: readonly Child[], campaignId: string) =>
  children.flatMap((child, index) =>
    child.lines.filter((line) => line.acquired === campaignId).map((line) => ({ index, epoch: line.epoch as number })),
  );

describe('campaign distribution with take-over and fencing (child processes)', () => {
  it('kill -9 of a worker: another takes its campaigns over within 20 s with a higher epoch, no recipient is mailed twice, and a paused old owner is fenced (412)', async () => {
    const name = uniqueName('takeover');
    const redis = admin(name);
    const campaigns: DemoCampaign[] = demoCampaigns({ seed: 3, campaigns: 6, recipients: 200 });
    const mock = createMockServer({ campaigns });
    const server: HttpMock = await listenHttp(mock);
    cleanup.push(() => server.close());
    const env = {
      REDIS_URL,
      NAME: name,
      MOCK_URL: server.url,
      BUDGET: '12',
      WINDOW_MS: '1000',
      LOCK_MS: '2000',
      STALLED_MS: '1000',
      PACE_MS: '20',
      INTERVAL_MS: '1000',
    };
    const children = ['a', 'b', 'c'].map((id) => startChild('fleet-worker.mjs', { ...env, WORKER_ID: `worker-${id}` }));
    cleanup.push(() => stopChildren(children));
    const [a, b, c] = children as [Child, Child, Child];
    await Promise.all(children.map((child) => child.waitFor((line) => line.ready !== undefined)));
    await sleep(750); // a few heartbeats: every worker has seen the other two
    const queue = createCampaignQueue<{ recipients: string[] }>({ redis, name });
    cleanup.push(() => queue.close());
    for (const { campaign, recipients } of campaigns) {
      await queue.offer(campaign.id, { recipients: recipients.map((r) => r.id) });
    }
    const ids = campaigns.map(({ campaign }) => campaign.id);
    // Every campaign has an owner, two for each worker (the fair share of 6 over 3).
    await Promise.all(ids.map((id) => Promise.race(children.map((child) => child.waitFor((l) => l.acquired === id)))));
    await sleep(500);
    const shares = children.map((child) => child.lines.filter((line) => line.acquired !== undefined).length);
    expect(shares).toEqual([2, 2, 2]);

    // kill -9 of a: its campaigns go to b or c, each with a higher epoch, within 20 s.
    const ofA = a.lines.filter((line) => line.acquired !== undefined).map((line) => line.acquired as string);
    const killedAt = Date.now();
    a.process.kill('SIGKILL');
    const takeovers = await Promise.all(
      ofA.map((id) =>
        Promise.race(
          [b, c].map((child) =>
            child.waitFor((line) => line.acquired === id && (line.epoch as number) > 1, 20_000, `take-over of ${id}`),
          ),
        ),
      ),
    );
    const takeoverMs = Math.max(...takeovers.map((line) => (line.t as number) - killedAt));
    expect(takeoverMs).toBeLessThanOrEqual(20_000);

    // b is paused (SIGSTOP): its campaigns go to c; when b wakes, its lease checks fail and its updates are refused.
    const ofB = b.lines.filter((line) => line.acquired !== undefined).map((line) => line.acquired as string);
    b.process.kill('SIGSTOP');
    await Promise.all(ofB.map((id) => c.waitFor((line) => line.acquired === id, 20_000, `take-over of ${id}`)));
    // Once the server has seen the new owner's epoch for each of them, it refuses the old one's.
    const epochB = (id: string) => owned([b], id)[0]?.epoch ?? 0;
    for (let waited = 0; ofB.some((id) => (mock.state.ownerEpoch(id) ?? 0) <= epochB(id)); waited += 50) {
      if (waited > 10_000) throw new Error('the new owner wrote nothing within 10 s');
      await sleep(50);
    }
    const resumedAt = Date.now();
    b.process.kill('SIGCONT');
    await Promise.all(ofB.map((id) => b.waitFor((line) => line.lost === id, 20_000, `lost ${id}`)));
    await Promise.all(ids.map((id) => c.waitFor((line) => line.done === id, 60_000, `done ${id}`)));

    // No recipient mailed twice, across the three workers; each one mailed once or reported in doubt.
    const mailed = children.flatMap((child) => child.lines.filter((l) => l.mailed !== undefined)).map((l) => l.mailed);
    const inDoubt = children
      .flatMap((child) => child.lines.filter((l) => l.inDoubt !== undefined))
      .map((l) => l.inDoubt);
    expect(new Set(mailed).size).toBe(mailed.length);
    expect(new Set([...mailed, ...inDoubt]).size).toBe(campaigns.reduce((n, c) => n + c.recipients.length, 0));
    // The paused owner mailed after it woke at most the one recipient per campaign it had checkpointed as being
    // sent when it froze (between its lease check and the send): the new owner reported that one in doubt and did
    // not mail it. No update of the old owner was applied after the server saw the new epoch.
    const afterWake = b.lines.filter((line) => line.mailed !== undefined && (line.t as number) >= resumedAt);
    expect(afterWake.length).toBeLessThanOrEqual(ofB.length);
    expect(afterWake.every((line) => inDoubt.includes(line.mailed))).toBe(true);
    const fenced = b.lines.filter((line) => line.deadletter !== undefined);
    expect(fenced.length).toBeGreaterThanOrEqual(1);
    expect(fenced.every((line) => /412/.test(String(line.reason)))).toBe(true);
    expect(mock.state.summary().fencedUpdates).toBeGreaterThanOrEqual(1);
    const byB = new Set(b.lines.filter((line) => line.mailed !== undefined).map((line) => line.mailed));
    for (const id of ofB) {
      const events = mock.state.events.get(id) ?? [];
      const times = mock.state.appliedAt.get(id) ?? [];
      const late = events.filter((event, i) => byB.has(event.recipientId) && (times[i] as number) >= resumedAt);
      expect(late).toEqual([]);
      expect(mock.state.ownerEpoch(id)).toBeGreaterThan(epochB(id));
    }
    // Every recipient c mailed reached the server once.
    const byC = c.lines.filter((line) => line.mailed !== undefined).map((line) => String(line.mailed));
    const applied = new Set([...mock.state.events.values()].flat().map((event) => event.recipientId));
    expect(byC.every((id) => applied.has(id))).toBe(true);
    expect(mock.state.summary().duplicateEvents).toBe(0);
    console.info(`take-over after kill -9: ${takeoverMs} ms; fenced updates: ${mock.state.summary().fencedUpdates}`);
  }, 120_000);
});

describe('campaign distribution: fair shares (connections in one process)', () => {
  it('8 workers share 48 campaigns of uneven lengths fairly (Jain index of campaign-time >= 0.95)', async () => {
    const name = uniqueName('fair');
    const redis = admin(name);
    const clients = connections(8);
    const taken = new Map<string, number>();
    const busyMs = new Map<string, number>();
    const running = new Set<string>();
    let twice = 0;
    const budgets: FleetBudget[] = clients.map((client, i) =>
      createFleetBudget({
        redis: client,
        name,
        budget: 100,
        windowMs: 1_000,
        workerId: `w${i}`,
        heartbeatMs: 200,
        memberTtlMs: 2_000,
      }),
    );
    const distributors: CampaignDistributor<{ ms: number }>[] = clients.map((client, i) =>
      createCampaignDistributor<{ ms: number }>({
        redis: client,
        name,
        membership: (budgets[i] as FleetBudget).membership,
        rebalanceMs: 100,
        lockDurationMs: 2_000,
        stalledIntervalMs: 1_000,
        run: async ({ campaignId, data }) => {
          if (running.has(campaignId)) twice++;
          running.add(campaignId);
          taken.set(`w${i}`, (taken.get(`w${i}`) ?? 0) + 1);
          const started = Date.now();
          await sleep(data.ms);
          busyMs.set(`w${i}`, (busyMs.get(`w${i}`) ?? 0) + Date.now() - started);
          running.delete(campaignId);
        },
      }),
    );
    cleanup.push(async () => {
      await Promise.all(distributors.map((d) => d.close({ timeoutMs: 1_000 })));
      await Promise.all(budgets.map((b) => b.close()));
      for (const client of clients) client.disconnect();
    });
    await Promise.all(distributors.map((d) => d.start()));
    await sleep(400); // every member seen by every other
    const queue = createCampaignQueue<{ ms: number }>({ redis, name });
    cleanup.push(() => queue.close());
    // Two waves: 24 at once, then 24 more while the first ones run.
    for (let i = 0; i < 48; i++) {
      await queue.offer(`cmp-${i}`, { ms: 600 + (i % 5) * 100 });
      if (i === 23) await sleep(300);
    }
    for (let waited = 0; waited < 15_000; waited += 100) {
      const counts = await queue.counts();
      if (counts.completed === 48) break;
      await sleep(100);
    }
    expect((await queue.counts()).completed).toBe(48);
    const perWorker = Array.from({ length: 8 }, (_, i) => taken.get(`w${i}`) ?? 0);
    const timePerWorker = Array.from({ length: 8 }, (_, i) => busyMs.get(`w${i}`) ?? 0);
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(48);
    expect(jainIndex(timePerWorker)).toBeGreaterThanOrEqual(0.95);
    expect(twice).toBe(0);
    console.info(
      `campaigns per worker: ${perWorker.join(', ')} (Jain ${jainIndex(perWorker).toFixed(3)}); campaign-time per worker: Jain ${jainIndex(timePerWorker).toFixed(3)}`,
    );
  }, 30_000);
});
