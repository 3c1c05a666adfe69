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

/**
 * N campaigns, one pending event each, recorded over two minutes; then two hours of virtual time, every timer wake
 * measured: those that send a batch (and how many campaigns it carries) apart from those that find nothing to send.
 * A campaign sent records its next event right after the wake, so all N keep an event pending throughout.
 */
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
  let sent: string[] = [];
  scheduler.on('request', ({ batch }) => {
    for (const update of batch.campaigns) sent.push(update.campaignId);
  });
  const sending: number[] = [];
  const idle: number[] = [];
  let campaignsCarried = 0;
  const end = clock.now() + 2 * 3_600_000;
  while (clock.now() < end) {
    sent = [];
    const us = clock.runNext();
    if (us === undefined) break;
    if (sent.length > 0) {
      sending.push(us);
      campaignsCarried += sent.length;
    } else idle.push(us);
    // The answers (a resolved promise) and the next events are taken outside the measured wake.
    for (const campaignId of sent) scheduler.record(campaignId, event(campaignsCarried));
    await settle();
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  await closeNow(scheduler, clock);
  return {
    sendingPumps: sending.length,
    sendingMedian: median(sending),
    perCampaign: sum(sending) / Math.max(1, campaignsCarried),
    idlePumps: idle.length,
    idleMedian: median(idle),
    cpuPerHourMs: (sum(sending) + sum(idle)) / 2000,
    held,
  };
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
console.log('The pump: each timer wake of the scheduler over two virtual hours, with N campaigns holding an event');
// A warm-up run first, so every row measures the optimised code and not the engine compiling it.
await pumpCost(20_000);
const rows = [];
for (const size of sizes) {
  const r = await pumpCost(size);
  rows.push({
    campaigns: size.toLocaleString('en-US'),
    'wakes that send': r.sendingPumps,
    'µs each': r.sendingMedian.toFixed(0),
    'µs per campaign sent': r.perCampaign.toFixed(1),
    'wakes with nothing to send': r.idlePumps,
    'µs each (median)': r.idleMedian.toFixed(1),
    'CPU ms per virtual hour': r.cpuPerHourMs.toFixed(0),
    'heap bytes per campaign': !gc
      ? 'run with --expose-gc'
      : size < 1000
        ? 'too few to tell'
        : ((r.held * 1e6) / size).toFixed(0),
  });
}
console.table(rows);
console.log(
  'before (every wake scanned every campaign): 77 ms a wake at 100,000 campaigns, 56 s of CPU a virtual hour',
);

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
