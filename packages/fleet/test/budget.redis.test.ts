import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createFleetBudget, type FleetBudget } from '../src/index.js';
import { connections, peakInWindow, REDIS_URL, removeFleet, uniqueName } from './redis.js';

// Against the real Redis. Short windows (1 s) with a small budget: the property does not depend on the window's
// length. Every grant time is Redis's (TIME inside the script), so the check is exact, whatever the load.
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function fleet(count: number, options: { budget: number; windowMs: number; skewMs?: (i: number) => number }) {
  const name = uniqueName('budget');
  const clients = connections(count);
  const budgets = clients.map((redis, i) =>
    createFleetBudget({
      redis,
      name,
      budget: options.budget,
      windowMs: options.windowMs,
      workerId: `w${String(i).padStart(2, '0')}`,
      clock: { now: () => Date.now() + (options.skewMs?.(i) ?? 0) },
    }),
  );
  cleanup.push(async () => {
    await Promise.all(budgets.map((budget) => budget.close()));
    await removeFleet(clients[0] as Redis, name);
    for (const client of clients) client.disconnect();
  });
  return { name, clients, budgets };
}

/** Every member acquires as fast as it is granted for `ms`; answers each grant's time (Redis's clock) and member. */
async function saturate(budgets: readonly FleetBudget[], ms: number) {
  await Promise.all(budgets.map((budget) => budget.ready));
  const grants: { at: number; worker: string }[] = [];
  const stopAt = Date.now() + ms;
  await Promise.all(
    budgets.map(async (budget) => {
      while (Date.now() < stopAt) {
        const grant = await budget.acquire();
        if (Date.now() < stopAt) grants.push({ at: grant.at, worker: budget.workerId });
      }
    }),
  );
  return grants;
}

/** Grants over the whole windows from the first grant on, against the budget's K per window. */
function utilization(times: readonly number[], budget: number, windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  const first = sorted[0] as number;
  const windows = Math.floor(((sorted.at(-1) as number) - first) / windowMs);
  const inside = sorted.filter((at) => at < first + windows * windowMs).length;
  return inside / (budget * windows);
}

describe('createFleetBudget against Redis', () => {
  it('N = 8 connections: at most K in every sliding window, and >= 95 % of K used under saturation', async () => {
    const { budget, windowMs } = { budget: 6, windowMs: 1_000 };
    const { budgets } = fleet(8, { budget, windowMs });
    const grants = await saturate(budgets, 5_200);
    const times = grants.map((grant) => grant.at);
    expect(peakInWindow(times, windowMs)).toBe(budget);
    expect(utilization(times, budget, windowMs)).toBeGreaterThanOrEqual(0.95);
    const stats = await (budgets[0] as FleetBudget).stats();
    expect(stats.members).toEqual(['w00', 'w01', 'w02', 'w03', 'w04', 'w05', 'w06', 'w07']);
    expect(stats.perWorker.w00?.requests ?? 0).toBeGreaterThan(0);
    // Stats count every grant, including those made after the members stopped counting.
    expect(stats.requests).toBeGreaterThanOrEqual(grants.length);
  });

  it('N = 32 connections with clocks skewed from -5 s to +5 s: 0 overshoot, >= 95 % used', async () => {
    const { budget, windowMs } = { budget: 16, windowMs: 1_000 };
    const { budgets } = fleet(32, { budget, windowMs, skewMs: (i) => Math.round(((i % 11) - 5) * 1_000) });
    const grants = await saturate(budgets, 5_200);
    const times = grants.map((grant) => grant.at);
    expect(peakInWindow(times, windowMs)).toBe(budget);
    expect(utilization(times, budget, windowMs)).toBeGreaterThanOrEqual(0.95);
    expect(budgets.every((b) => b.mode === 'redis')).toBe(true);
  });

  it('N = 2 child processes, one clock 5 s ahead and one 5 s behind: 0 overshoot, >= 95 % used', async () => {
    const { budget, windowMs } = { budget: 4, windowMs: 1_000 };
    const name = uniqueName('children');
    const [admin] = connections(1) as [Redis];
    cleanup.push(async () => {
      await removeFleet(admin, name);
      admin.disconnect();
    });
    const script = fileURLToPath(new URL('./fixtures/budget-child.mjs', import.meta.url));
    const stopAt = { value: 0 };
    // Children take a while to start on a loaded machine: once all are ready, they run for the same 5 s.
    let ready = 0;
    let go: () => void = () => undefined;
    const allReady = new Promise<void>((resolve) => {
      go = () => {
        stopAt.value = Date.now() + 5_200;
        resolve();
      };
    });
    const runs = Array.from({ length: 2 }, (_, i) => {
      const child = spawn(process.execPath, [script], {
        env: {
          ...process.env,
          REDIS_URL,
          NAME: name,
          BUDGET: String(budget),
          WINDOW_MS: String(windowMs),
          WORKER_ID: `child-${i}`,
          SKEW_MS: String(i % 2 === 0 ? 5_000 : -5_000),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk) => {
        if (!out.includes('ready') && `${out}${chunk}`.includes('ready') && ++ready === 2) go();
        out += chunk;
      });
      void allReady.then(() => child.stdin.end(`${stopAt.value}\n`));
      return new Promise<number[]>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => {
          if (code !== 0) reject(new Error(`child ${i} exited with ${code}`));
          const lines = out
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line));
          resolve(lines.filter((line) => line.at !== undefined).map((line) => line.at as number));
        });
      });
    });
    await allReady;
    const perChild = await Promise.all(runs);
    const times = perChild.flat();
    expect(perChild.every((list) => list.length > 0)).toBe(true);
    expect(peakInWindow(times, windowMs)).toBe(budget);
    expect(utilization(times, budget, windowMs)).toBeGreaterThanOrEqual(0.95);
  }, 40_000);

  it('a 429/503 Retry-After seen by one member pauses every member until then', async () => {
    const { budgets } = fleet(3, { budget: 100, windowMs: 1_000 });
    const [a, b, c] = budgets as [FleetBudget, FleetBudget, FleetBudget];
    await Promise.all(budgets.map((budget) => budget.ready));
    const before = await a.acquire(); // past the first window of a new log
    let listener: ((event: { status: number | undefined; retryAfterMs: number | undefined }) => unknown) | undefined;
    a.watch({
      on: (_name, l) => {
        listener = l;
        return () => undefined;
      },
    });
    listener?.({ status: 503, retryAfterMs: 800 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [gb, gc] = await Promise.all([b.acquire(), c.acquire()]);
    expect(gb.at - before.at).toBeGreaterThanOrEqual(800);
    expect(gc.at - before.at).toBeGreaterThanOrEqual(800);
    expect(gb.waitedMs).toBeGreaterThan(600);
    // A 200, or a 429 without Retry-After, pauses nothing.
    listener?.({ status: 429, retryAfterMs: undefined });
    listener?.({ status: 200, retryAfterMs: 5_000 });
    const after = await b.acquire();
    expect(after.waitedMs).toBeLessThan(300);
  });
});
