import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DeadLetter, ServerUpdateScheduler } from '../src/index.js';
import { type Behaviour, createFakeServer, event } from './fake-server.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');

type Step =
  | { kind: 'record'; campaign: number; count: number }
  | { kind: 'status'; campaign: number; terminal: boolean }
  | { kind: 'wait'; ms: number }
  | { kind: 'flush' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      campaign: fc.nat(4),
      count: fc.integer({ min: 1, max: 60 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('status' as const), campaign: fc.nat(4), terminal: fc.boolean() }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 90_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
);

// What the server does, request by request; latencies stay under the request timeout, so the server and the
// scheduler agree on what is in flight.
const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      status: fc.constant(200),
      latencyMs: fc.integer({ min: 0, max: 8_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('answer' as const), status: fc.constantFrom(500, 502, 408) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      status: fc.constantFrom(429, 503),
      retryAfterMs: fc.integer({ min: 0, max: 120_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('network-error' as const),
      latencyMs: fc.integer({ min: 0, max: 3_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('lose-answer' as const), latencyMs: fc.integer({ min: 0, max: 3_000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'answer' as const, status: 413 }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'answer' as const, status: 400, message: 'bad campaign' }) },
);

const config = fc.record({
  minIntervalMs: fc.integer({ min: 1_000, max: 20_000 }),
  maxConcurrent: fc.integer({ min: 1, max: 3 }),
  maxBatchEvents: fc.integer({ min: 1, max: 100 }),
  maxPendingEvents: fc.integer({ min: 50, max: 400 }),
  shape: fc.constantFrom('bulk' as const, 'legacy' as const),
  rates: fc.array(fc.constantFrom(undefined, 10, 40, 100, 300), { minLength: 5, maxLength: 5 }),
});

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

describe('ServerUpdateScheduler (properties)', () => {
  it('holds every invariant over random workloads and server behaviours', async () => {
    await fc.assert(
      fc.asyncProperty(
        config,
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(behaviour, { maxLength: 30 }),
        async (cfg, steps, behaviours) => {
          vi.setSystemTime(T0);
          // 400 refuses only batches holding campaign c3, as a server refuses one bad campaign.
          const server = createFakeServer({
            shape: cfg.shape,
            behave: (batch, index) => {
              const b = behaviours[index] ?? { kind: 'answer', status: 200 };
              if (b.kind === 'answer' && b.status === 400 && !batch.campaigns.some((c) => c.campaignId === 'c3')) {
                return { kind: 'answer', status: 200 };
              }
              return b;
            },
          });
          const scheduler = new ServerUpdateScheduler({
            transport: server.transport,
            minIntervalMs: cfg.minIntervalMs,
            maxConcurrent: cfg.maxConcurrent,
            maxBatchEvents: cfg.maxBatchEvents,
            maxPendingEvents: cfg.maxPendingEvents,
            breakerCooldownMs: 20_000,
            requestTimeoutMs: 10_000,
          });
          const letters: DeadLetter[] = [];
          scheduler.on('deadletter', (letter) => letters.push(letter));
          let inFlight = 0;
          let maxInFlight = 0;
          const starts: number[] = [];
          scheduler.on('request', (request) => {
            starts.push(request.at);
            maxInFlight = Math.max(maxInFlight, ++inFlight);
            for (const update of request.batch.campaigns)
              expect(update.events.length).toBeLessThanOrEqual(cfg.maxBatchEvents);
            if (cfg.shape === 'legacy') expect(request.batch.campaigns).toHaveLength(1);
          });
          scheduler.on('response', () => inFlight--);
          const checkHeld = () => {
            const stats = scheduler.stats();
            expect(stats.pendingEvents - stats.waitingEvents + stats.unacknowledgedEvents).toBeLessThanOrEqual(
              cfg.maxPendingEvents,
            );
          };

          for (const [i, rate] of cfg.rates.entries()) {
            scheduler.registerCampaign(`c${i}`, rate === undefined ? {} : { emailsPerMinute: rate });
          }
          const recorded = new Set<string>();
          const flushes: Array<Promise<void>> = [];
          const counts = [0, 0, 0, 0, 0];
          const terminal = new Set<number>();
          let next = 0;
          for (const s of steps) {
            if (s.kind === 'record') {
              for (let i = 0; i < s.count; i++) {
                const id = `e${next++}`;
                recorded.add(id);
                counts[s.campaign]! += 1;
                void scheduler.record(`c${s.campaign}`, event(id));
                checkHeld();
              }
            } else if (s.kind === 'status' && !terminal.has(s.campaign)) {
              if (s.terminal) terminal.add(s.campaign);
              const sent = counts[s.campaign]!;
              scheduler.setStatus(`c${s.campaign}`, {
                state: s.terminal ? 'completed' : 'running',
                sent,
                failed: 0,
                total: 1000,
              });
            } else if (s.kind === 'wait') {
              await vi.advanceTimersByTimeAsync(s.ms);
              checkHeld();
            } else if (s.kind === 'flush') {
              // When a flush resolves, everything recorded before it has reached the server (or a dead letter).
              const before = [...recorded];
              flushes.push(
                scheduler.flush().then(() => {
                  const done = new Set([...server.events.values()].flat().map((e) => e.recipientId));
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

          // Everything arrives exactly once, or is dead-lettered exactly once: c3's refused with 400, or a single
          // update still too large after splitting (413).
          expect(report.complete).toBe(true);
          const applied = [...server.events.values()].flat().map((e) => e.recipientId);
          const dead = letters.flatMap((letter) => letter.events.map((e) => e.recipientId));
          for (const letter of letters) {
            const single = letter.events.length + (letter.status ? 1 : 0) === 1;
            expect(letter.httpStatus === 400 ? letter.campaignId === 'c3' : letter.httpStatus === 413 && single).toBe(
              true,
            );
          }
          expect(new Set(applied).size).toBe(applied.length);
          expect([...applied, ...dead].sort()).toEqual([...recorded].sort());
          // Spacing, concurrency, ordering.
          for (let i = 1; i < starts.length; i++) {
            expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(cfg.minIntervalMs);
          }
          expect(maxInFlight).toBeLessThanOrEqual(cfg.maxConcurrent);
          expect(server.maxInFlight).toBeLessThanOrEqual(cfg.maxConcurrent);
          expect(server.campaignOverlap).toBe(false);
          expect(server.staleStatuses).toBe(0);
          for (const history of server.statuses.values()) {
            for (let i = 1; i < history.length; i++) expect(history[i]!.seq).toBeGreaterThan(history[i - 1]!.seq);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
