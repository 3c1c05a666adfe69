// `pnpm bench` (in this package, after a build): the fleet budget against a fixed-window limiter (INCR + PEXPIRE, as
// BullMQ's limiter and rate-limiter-flexible count), side by side on the same Redis in the same run. Prints, asserts
// nothing. REDIS_URL picks the Redis (default: the local one).
import { Redis } from 'ioredis';
import { createFleetBudget, fleetRedisOptions } from '../dist/index.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `bench-${process.pid}-${Date.now().toString(36)}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const open = (n) => Array.from({ length: n }, () => new Redis(url, { ...fleetRedisOptions }));

/** The fixed-window limiter: one counter per window (on the client's clock), one round trip per try. */
function fixedWindow(redis, name, budget, windowMs) {
  redis.defineCommand('fixedWindowTry', {
    numberOfKeys: 1,
    lua: `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n`,
  });
  return {
    async acquire() {
      for (;;) {
        const index = Math.floor(Date.now() / windowMs);
        const count = await redis.fixedWindowTry(`bench:{${name}}:fw:${index}`, windowMs * 2);
        if (count <= budget) return { at: Date.now() };
        await sleep((index + 1) * windowMs - Date.now() + 1);
      }
    },
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function peakInWindow(times, windowMs) {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

async function cleanup(redis, pattern) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function latency() {
  const [redis] = open(1);
  const name = `${run}-latency`;
  const budget = createFleetBudget({ redis, name, budget: 1_000_000, windowMs: 100 });
  await budget.ready;
  await budget.acquire(); // past the first window of a new log
  const fixed = fixedWindow(redis, name, 1_000_000, 100);
  const rows = [];
  for (const [label, limiter] of [
    ['fleet budget (sliding log)', budget],
    ['fixed window (INCR+PEXPIRE)', fixed],
  ]) {
    for (let i = 0; i < 500; i++) await limiter.acquire(); // warm up
    const samples = [];
    for (let i = 0; i < 5_000; i++) {
      const started = performance.now();
      await limiter.acquire();
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    rows.push([label, percentile(samples, 50).toFixed(3), percentile(samples, 99).toFixed(3)]);
  }
  await budget.close();
  await cleanup(redis, `fleet:{${name}}:*`);
  await cleanup(redis, `bench:{${name}}:*`);
  redis.disconnect();
  return rows;
}

async function accuracy(n, kind, { budget, windowMs, ms }) {
  const clients = open(n);
  const name = `${run}-${kind}-${n}`;
  const limiters = clients.map((redis, i) =>
    kind === 'fleet'
      ? createFleetBudget({ redis, name, budget, windowMs, workerId: `w${i}` })
      : fixedWindow(redis, name, budget, windowMs),
  );
  if (kind === 'fleet') await Promise.all(limiters.map((l) => l.ready));
  const grants = [];
  // Start one window in, so both kinds are measured past a fleet budget's first window.
  await sleep(windowMs + 50);
  const stopAt = Date.now() + ms;
  await Promise.all(
    limiters.map(async (limiter) => {
      while (Date.now() < stopAt) {
        const grant = await limiter.acquire();
        if (Date.now() < stopAt) grants.push(grant.at);
      }
    }),
  );
  const sorted = grants.sort((a, b) => a - b);
  const windows = Math.max(1, Math.floor((sorted.at(-1) - sorted[0]) / windowMs));
  const inside = sorted.filter((at) => at < sorted[0] + windows * windowMs).length;
  if (kind === 'fleet') await Promise.all(limiters.map((l) => l.close()));
  await cleanup(clients[0], `fleet:{${name}}:*`);
  await cleanup(clients[0], `bench:{${name}}:*`);
  for (const client of clients) client.disconnect();
  return { peak: peakInWindow(sorted, windowMs), used: inside / (budget * windows) };
}

const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

console.log(`Redis ${url}, Node ${process.version}\n`);
console.log('### Acquire latency on loopback (one member, budget never reached), ms\n');
console.log(table(['limiter', 'p50', 'p99'], await latency()));
const settings = { budget: 10, windowMs: 1_000, ms: 5_000 };
console.log(
  `\n### Accuracy under saturation: ${settings.budget} requests per ${settings.windowMs} ms window, ${settings.ms / 1000} s\n`,
);
const rows = [];
for (const n of [2, 8, 32]) {
  const fleet = await accuracy(n, 'fleet', settings);
  const fixed = await accuracy(n, 'fixed', settings);
  const over = (peak) =>
    `${peak} (${peak > settings.budget ? '+' : ''}${Math.round((peak / settings.budget - 1) * 100)} %)`;
  rows.push([
    n,
    over(fleet.peak),
    `${(fleet.used * 100).toFixed(1)} %`,
    over(fixed.peak),
    `${(fixed.used * 100).toFixed(1)} %`,
  ]);
}
console.log(
  table(['members', 'fleet budget: peak in any window', 'used', 'fixed window: peak in any window', 'used'], rows),
);
console.log(
  '\nPeak: the most grants in any sliding window (the fleet budget on Redis time, the fixed window on the client clock). Used: grants over whole windows / K.',
);
