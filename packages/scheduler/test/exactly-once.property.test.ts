import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Batch, type DeadLetter, ServerUpdateScheduler, type TransportShape } from '../src/index.js';
import { type Behaviour, createFakeServer, event, sequentialIds } from './fake-server.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const CAMPAIGNS = 3;
const REQUEST_TIMEOUT_MS = 10_000;
// An event this large is above the server's body-size limit on its own: every batch holding it gets 413, so the
// scheduler splits down to it and dead-letters it alone. It is never applied.
const HUGE = 'x'.repeat(5_000);

type Step =
  | { kind: 'record'; campaign: number; count: number; huge: boolean }
  | { kind: 'status'; campaign: number; terminal: boolean }
  | { kind: 'wait'; ms: number }
  | { kind: 'flush' };

interface Config {
  readonly minIntervalMs: number;
  readonly maxConcurrent: number;
  readonly maxBatchEvents: number;
  readonly maxPendingEvents: number;
  readonly shape: TransportShape;
  readonly seed: number;
}

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      campaign: fc.nat(CAMPAIGNS - 1),
      count: fc.integer({ min: 1, max: 40 }),
      huge: fc.nat(3).map((n) => n === 0),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      campaign: fc.nat(CAMPAIGNS - 1),
      terminal: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 90_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
);

// The server's answers, request by request (then 200 for good). A 413 here refuses a batch of two updates or
// more, and is answered before the server looks at the batch id (a body-size limit in front of it); a single
// update is under any limit, so it falls through to 200.
const answer: fc.Arbitrary<Behaviour> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'answer' as const, status: 200 }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'answer' as const, status: 503 }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'network-error' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      status: fc.constant(429),
      retryAfterMs: fc.integer({ min: 0, max: 120_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'lose-answer' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'apply-then-answer' as const, status: 500 }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'apply-then-hang' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'too-large' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'answer' as const, status: 409 }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hang' as const }) },
  // Still at work when the scheduler gives up waiting: its retry meets a 409 until the server is done.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 20_000 })
      .map((extra) => ({ kind: 'process' as const, latencyMs: REQUEST_TIMEOUT_MS + extra })),
  },
);

const config: fc.Arbitrary<Config> = fc.record({
  minIntervalMs: fc.integer({ min: 1_000, max: 20_000 }),
  maxConcurrent: fc.integer({ min: 1, max: 3 }),
  maxBatchEvents: fc.integer({ min: 1, max: 50 }),
  maxPendingEvents: fc.integer({ min: 20, max: 400 }),
  shape: fc.constantFrom('bulk' as const, 'legacy' as const),
  seed: fc.integer(),
});

/** A small seeded generator of numbers in [0, 1), for the scheduler's jitter. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const units = (batch: Batch) => batch.campaigns.reduce((n, c) => n + c.events.length + (c.status ? 1 : 0), 0);
const holdsHuge = (batch: Batch) => batch.campaigns.some((c) => c.events.some((e) => e.error === HUGE));

/** Runs one workload against one answer sequence and checks every invariant; returns the server for more checks. */
async function check(cfg: Config, steps: readonly Step[], answers: readonly Behaviour[]) {
  vi.setSystemTime(T0);
  const ok: Behaviour = { kind: 'answer', status: 200 };
  const server = createFakeServer({
    shape: cfg.shape,
    idempotencyDraft: true,
    tooLarge: holdsHuge,
    behave: (batch, index) => {
      const b = answers[index] ?? ok;
      return b.kind === 'too-large' && units(batch) < 2 ? ok : b;
    },
  });
  const scheduler = new ServerUpdateScheduler({
    transport: server.transport,
    workerId: 'w1',
    createBatchId: sequentialIds(),
    random: mulberry32(cfg.seed),
    minIntervalMs: cfg.minIntervalMs,
    maxConcurrent: cfg.maxConcurrent,
    maxBatchEvents: cfg.maxBatchEvents,
    maxPendingEvents: cfg.maxPendingEvents,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    breakerCooldownMs: 20_000,
  });
  const letters: DeadLetter[] = [];
  scheduler.on('deadletter', (letter) => letters.push(letter));
  let inFlight = 0;
  let maxInFlight = 0;
  scheduler.on('request', () => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
  });
  scheduler.on('response', () => inFlight--);

  for (let c = 0; c < CAMPAIGNS; c++) scheduler.registerCampaign(`c${c}`);
  const recorded: string[] = [];
  const huge = new Set<string>();
  const lastSeq = new Map<string, number>();
  const sent = new Array<number>(CAMPAIGNS).fill(0);
  const flushes: Array<Promise<void>> = [];
  let next = 0;
  for (const s of steps) {
    if (s.kind === 'record') {
      for (let i = 0; i < s.count; i++) {
        const id = `e${next++}`;
        recorded.push(id);
        const big = s.huge && i === 0;
        if (big) huge.add(id);
        sent[s.campaign]! += 1;
        void scheduler.record(`c${s.campaign}`, big ? { ...event(id, 'failed'), error: HUGE } : event(id));
      }
    } else if (s.kind === 'status') {
      const campaignId = `c${s.campaign}`;
      const seq = (lastSeq.get(campaignId) ?? 0) + 1;
      lastSeq.set(campaignId, seq);
      scheduler.setStatus(campaignId, {
        state: s.terminal ? 'completed' : 'running',
        sent: sent[s.campaign]!,
        failed: 0,
        total: 1000,
        seq,
      });
    } else if (s.kind === 'wait') {
      await vi.advanceTimersByTimeAsync(s.ms);
    } else {
      const before = [...recorded];
      flushes.push(
        scheduler.flush().then(() => {
          const done = new Set(server.allApplied());
          for (const letter of letters) for (const e of letter.events) done.add(e.recipientId);
          expect(before.filter((id) => !done.has(id))).toEqual([]);
        }),
      );
    }
  }
  const closing = scheduler.close({ timeoutMs: 24 * 3_600_000 });
  await vi.runAllTimersAsync();
  const report = await closing;
  await Promise.all(flushes);

  // Every event recorded is applied exactly once, or dead-lettered (once) and not applied.
  expect(report.complete).toBe(true);
  const applied = new Map<string, number>();
  for (const id of server.allApplied()) applied.set(id, (applied.get(id) ?? 0) + 1);
  const dead = new Map<string, number>();
  for (const letter of letters)
    for (const e of letter.events) dead.set(e.recipientId, (dead.get(e.recipientId) ?? 0) + 1);
  const wrong = recorded.filter((id) => {
    const a = applied.get(id) ?? 0;
    const d = dead.get(id) ?? 0;
    return !((a === 1 && d === 0) || (a === 0 && d === 1));
  });
  expect(wrong.map((id) => `${id}: applied ${applied.get(id) ?? 0}, dead-lettered ${dead.get(id) ?? 0}`)).toEqual([]);
  expect(applied.size + dead.size).toBe(recorded.length);
  // Only what the server can never take is dead-lettered: an event above its size limit, alone.
  for (const letter of letters) {
    expect(letter.httpStatus).toBe(413);
    expect(letter.events.map((e) => e.recipientId).filter((id) => !huge.has(id))).toEqual([]);
    expect(letter.status).toBeUndefined();
  }
  expect(report.eventsDelivered + report.deadLettered).toBe(recorded.length);
  expect(report.eventsLeft).toBe(0);

  // What makes it so: every event carries one event id for good, and a batch id always names the same contents.
  const idsOf = new Map<string, Set<string | undefined>>();
  for (const batch of server.batches) {
    for (const update of batch.campaigns) {
      for (const e of update.events) {
        const ids = idsOf.get(e.recipientId) ?? new Set();
        ids.add(e.eventId);
        idsOf.set(e.recipientId, ids);
      }
    }
  }
  for (const ids of idsOf.values()) {
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.any(String));
  }
  expect(server.keyReuses).toBe(0);

  // The server never sees a stale status, and ends holding the newest of each campaign.
  expect(server.staleStatusesSeen).toBe(0);
  for (const [campaignId, seq] of lastSeq) expect(server.held(campaignId)?.seq).toBe(seq);

  // Spacing, concurrency, one batch per campaign in flight.
  for (const gap of server.gaps()) expect(gap).toBeGreaterThanOrEqual(cfg.minIntervalMs);
  expect(maxInFlight).toBeLessThanOrEqual(cfg.maxConcurrent);
  expect(server.maxInFlight).toBeLessThanOrEqual(cfg.maxConcurrent);
  expect(server.campaignOverlap).toBe(false);
  return server;
}

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

const minimalConfig: Config = {
  minIntervalMs: 15_000,
  maxConcurrent: 2,
  maxBatchEvents: 100,
  maxPendingEvents: 10_000,
  shape: 'bulk',
  seed: 1,
};
// 1 campaign, 1 event, and its terminal status with it (a batch of one event alone cannot be split): the server
// applies the batch and the answer is lost, the retry is refused 413 and split.
const minimalSteps: Step[] = [
  { kind: 'record', campaign: 0, count: 1, huge: false },
  { kind: 'status', campaign: 0, terminal: true },
];
const minimalAnswers: Behaviour[] = [{ kind: 'apply-then-hang' }, { kind: 'too-large' }];

describe('exactly once (properties)', () => {
  it('the minimal case of a review: a batch applied, its answer lost, its retry refused 413 and split', async () => {
    const server = await check(minimalConfig, minimalSteps, minimalAnswers);
    expect(server.applied('c0')).toEqual(['e0']);
    expect(server.log.map((r) => [r.batchId, r.outcome])).toEqual([
      ['b1', 'applied, then hang'],
      ['b1', '413'],
      ['b1.1', 'applied'],
      ['b1.2', 'applied'],
    ]);
    expect(server.duplicateEvents).toBe(1);
    expect(server.repeatedStatuses).toBe(1);
  }, 60_000);

  it('applies every event once (or dead-letters it unapplied) over random workloads and server answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        config,
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.array(answer, { maxLength: 25 }),
        async (cfg, steps, answers) => {
          await check(cfg, steps, answers);
        },
      ),
      { numRuns: 200, examples: [[minimalConfig, minimalSteps, minimalAnswers]] },
    );
  }, 240_000);
});
