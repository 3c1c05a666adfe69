// `pnpm bench` (second part): how the scheduler scales with the campaigns it holds. On an injected virtual clock,
// measures the CPU of one pump (one timer wake that sends a batch) with 10 to 1,000,000 campaigns waiting, the
// memory they take, whether finished campaigns are let go, and how long close() takes with a million events
// waiting under backpressure. Prints the figures beside those measured before the due index. Asserts nothing.
import { type Clock, type RecipientEvent, ServerUpdateScheduler } from '@scope/scheduler';

const gc = (globalThis as { gc?: () => void }).gc;
const T0 = Date.parse('2026-11-28T10:00:00Z');
const at = new Date(T0).toISOString();
const ok = Object.assign(async () => ({ status: 200 }), { shape: 'bulk' as const });

/** A clock whose time moves only when told: timers run in order, each call measured. */
class VirtualClock implements Clock {
  #now = T0;
  #timers = new Map<number, { at: number; run: () => void }>();
  #next = 0;
  now = () => this.#now;
  setTimeout = (run: () => void, ms: number) => {
    const id = ++this.#next;
    this.#timers.set(id, { at: this.#now + ms, run });
    return id;
  };
  clearTimeout = (id: unknown) => void this.#timers.delete(id as number);
  advance(ms: number): void {
    this.#now += ms;
  }
  /** Runs the earliest timer; returns the CPU time it took, in microseconds (undefined when none is set). */
  runNext(): number | undefined {
    let first: [number, { at: number; run: () => void }] | undefined;
    for (const entry of this.#timers) if (first === undefined || entry[1].at < first[1].at) first = entry;
    if (first === undefined) return undefined;
    this.#timers.delete(first[0]);
    this.#now = Math.max(this.#now, first[1].at);
    const started = process.hrtime.bigint();
    first[1].run();
    return Number(process.hrtime.bigint() - started) / 1000;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Closes at once: the deadline is a timer of the virtual clock, run here. */
async function closeNow(scheduler: ServerUpdateScheduler, clock: VirtualClock) {
  let done = false;
  const closing = scheduler.close({ timeoutMs: 0 }).finally(() => {
    done = true;
  });
  while (!done) {
    clock.runNext();
    await settle();
  }
  return closing;
}
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};
const event = (i: number): RecipientEvent => ({ recipientId: `r${i}`, outcome: 'sent', at });

/** N campaigns, one pending event each, recorded over two minutes; then 10 virtual minutes of pumps. */
async function pumpCost(campaigns: number) {
  const before = heapMb();
  const clock = new VirtualClock();
  const scheduler = new ServerUpdateScheduler({ transport: ok, clock, maxPendingEvents: 2 * campaigns + 10 });
  for (let i = 0; i < campaigns; i++) {
    scheduler.registerCampaign(`c${i}`, { emailsPerMinute: 10 });
    scheduler.record(`c${i}`, event(i));
    clock.advance(120_000 / campaigns);
  }
  const held = heapMb() - before;
  const costs: number[] = [];
  const end = clock.now() + 600_000;
  while (clock.now() < end) {
    const us = clock.runNext();
    if (us === undefined) break;
    costs.push(us);
    await settle();
  }
  costs.sort((a, b) => a - b);
  const median = costs[Math.floor(costs.length / 2)] ?? 0;
  const result = { campaigns, pumps: costs.length, median, p99: costs[Math.floor(costs.length * 0.99)] ?? 0, held };
  await closeNow(scheduler, clock);
  return result;
}

/** Campaigns that run and finish, in waves: memory after each wave, and stats().campaigns. */
async function finishedCampaigns(total: number, wave: number) {
  const clock = new VirtualClock();
  const scheduler = new ServerUpdateScheduler({ transport: ok, clock, maxBatchCampaigns: 1000, minIntervalMs: 1 });
  const start = heapMb();
  const samples: Array<{ done: number; mb: number; campaigns: number }> = [];
  for (let done = 0; done < total; done += wave) {
    for (let i = done; i < done + wave; i++) {
      scheduler.registerCampaign(`f${i}`, { emailsPerMinute: 10 });
      scheduler.record(`f${i}`, event(i));
      scheduler.setStatus(`f${i}`, { state: 'completed', sent: 1, failed: 0, total: 1 });
    }
    const flushed = scheduler.flush();
    while (clock.runNext() !== undefined) await settle();
    await flushed;
    if ((done + wave) % (total / 5) === 0) {
      samples.push({ done: done + wave, mb: heapMb() - start, campaigns: scheduler.stats().campaigns });
    }
  }
  await closeNow(scheduler, clock);
  return samples;
}

/** `close({ timeoutMs: 0 })` with `waiting` events under backpressure, none of them awaited. */
async function closeWithWaiting(waiting: number) {
  const clock = new VirtualClock();
  const scheduler = new ServerUpdateScheduler({ transport: ok, clock, maxPendingEvents: 1000 });
  scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
  for (let i = 0; i < waiting; i++) void scheduler.record('c1', event(i));
  const started = performance.now();
  const report = await closeNow(scheduler, clock);
  return { ms: performance.now() - started, left: report.eventsLeft };
}

const sizes = (process.env.BENCH_SIZES ?? '10,1000,100000,1000000').split(',').map(Number);
const before: Record<number, string> = { 100000: '77 ms' };
console.log('One pump (a timer wake that sends a batch): CPU per pump, with N campaigns waiting (virtual clock)');
const rows = [];
for (const size of sizes) {
  const r = await pumpCost(size);
  rows.push({
    campaigns: size.toLocaleString('en-US'),
    pumps: r.pumps,
    'median µs': r.median.toFixed(1),
    'p99 µs': r.p99.toFixed(1),
    'heap MB held': gc ? r.held.toFixed(1) : 'run with --expose-gc',
    'bytes per campaign': gc ? ((r.held * 1e6) / size).toFixed(0) : '',
    'before (scan of all)': before[size] ?? '',
  });
}
console.table(rows);

console.log('\nFinished campaigns are let go: 1,000,000 campaigns run and completed in waves of 10,000');
console.table(
  (await finishedCampaigns(1_000_000, 10_000)).map((s) => ({
    finished: s.done.toLocaleString('en-US'),
    'campaigns held': s.campaigns,
    'heap MB over start': gc ? s.mb.toFixed(1) : 'run with --expose-gc',
  })),
);
console.log('before: 100,000 finished campaigns were never freed (76 MB kept, flush(id) 150 ms)');

const closed = await closeWithWaiting(1_000_000);
console.log(
  `\nclose({ timeoutMs: 0 }) with 1,000,000 events waiting under backpressure: ${closed.ms.toFixed(0)} ms ` +
    `(${closed.left.toLocaleString('en-US')} events in its report); before: 520 s for 990,000`,
);
