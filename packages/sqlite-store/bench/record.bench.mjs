// Prints, asserts nothing: durable record() throughput of the outbox (NORMAL and FULL, group commit) side by side
// with MemoryStore and with one commit per event, then the restart time to the first re-sent batch with many
// events pending. `BENCH_EVENTS` and `BENCH_PENDING` (comma-separated) change the sizes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, ServerUpdateScheduler } from '@scope/scheduler';
import { SqliteStore } from '../dist/index.js';

const events = Number(process.env.BENCH_EVENTS ?? 200_000);
const pendingSizes = (process.env.BENCH_PENDING ?? '100000,1000000').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'sqlite-store-bench-'));
const at = '2026-11-28T10:00:00.000Z';
const event = (i) => ({ eventId: `e${i}`, recipientId: `r${i}`, email: `r${i}@example.com`, outcome: 'sent', at });
let files = 0;

/** Events per second through a scheduler's record() into `store`, with everything durable at the end. */
async function recordRate(store, count, durable) {
  const transport = Object.assign(async () => ({ status: 200 }), { shape: 'bulk' });
  const scheduler = new ServerUpdateScheduler({
    transport,
    store,
    maxPendingEvents: count + 1,
    minIntervalMs: 3_600_000,
  });
  for (let c = 0; c < 10; c++) scheduler.registerCampaign(`c${c}`, { emailsPerMinute: 10 });
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    scheduler.record(`c${i % 10}`, event(i));
    if (durable === 'each') store.commit();
    else if ((i & 1023) === 1023) await new Promise((resolve) => setImmediate(resolve));
  }
  if (durable) await store.durable();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await scheduler.close({ timeoutMs: 0 });
  return count / seconds;
}

const path = () => join(dir, `bench-${++files}.db`);
const rows = [];
const memory = await recordRate(new MemoryStore(), events, false);
rows.push(['MemoryStore (nothing durable)', memory]);
for (const synchronous of ['NORMAL', 'FULL']) {
  const store = new SqliteStore({ path: path(), synchronous });
  rows.push([`SqliteStore ${synchronous}, group commit (5 ms / 1000 events)`, await recordRate(store, events, true)]);
  store.close();
  const single = new SqliteStore({ path: path(), synchronous });
  const few = Math.min(events, synchronous === 'FULL' ? 2_000 : 20_000);
  rows.push([`SqliteStore ${synchronous}, one commit per event`, await recordRate(single, few, 'each')]);
  single.close();
}
console.log(`record() throughput, ${events.toLocaleString('en')} events (10 campaigns), on ${process.platform}:`);
for (const [name, rate] of rows) {
  console.log(
    `  ${name.padEnd(52)} ${Math.round(rate).toLocaleString('en').padStart(10)} events/s   ×${(rate / memory).toFixed(3)} of memory`,
  );
}

console.log('\nrestart: open the file and re-send the first sealed batch');
for (const pending of pendingSizes) {
  const file = path();
  const store = new SqliteStore({ path: file, maxBufferedEvents: 100_000 });
  for (let i = 0; i < pending; i++) store.appendEvent(`c${i % 100}`, event(i), () => 0);
  const taken = store.take('c0', 100, false);
  store.seal({
    batch: { batchId: 'b1', workerId: 'w1', campaigns: [{ campaignId: 'c0', events: taken.events }] },
    attempt: 1,
    invalidAnswers: 0,
    notBefore: 0,
  });
  store.commit();
  store.close();
  const started = process.hrtime.bigint();
  let firstRequestMs;
  let scheduler;
  const reopened = new SqliteStore({ path: file, integrityCheck: 'never' });
  const openMs = Number(process.hrtime.bigint() - started) / 1e6;
  await new Promise((resolve) => {
    const transport = Object.assign(
      async () => {
        firstRequestMs ??= Number(process.hrtime.bigint() - started) / 1e6;
        resolve();
        return { status: 200 };
      },
      { shape: 'bulk' },
    );
    scheduler = new ServerUpdateScheduler({ transport, store: reopened, maxPendingEvents: pending * 2 });
  });
  await scheduler.close({ timeoutMs: 0 });
  const checked = process.hrtime.bigint();
  reopened.close();
  const withCheck = new SqliteStore({ path: file, integrityCheck: 'always' });
  const checkMs = Number(process.hrtime.bigint() - checked) / 1e6;
  withCheck.close();
  console.log(
    `  ${pending.toLocaleString('en').padStart(9)} pending: open ${openMs.toFixed(0)} ms, first re-sent batch at ${firstRequestMs.toFixed(0)} ms; open with quick_check (after a crash) ${checkMs.toFixed(0)} ms`,
  );
}
rmSync(dir, { recursive: true, force: true });
