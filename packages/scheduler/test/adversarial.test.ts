import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Batch,
  BatchEncodingError,
  createHttpTransport,
  type DeadLetter,
  type ErrorEvent,
  type SchedulerOptions,
  ServerUpdateScheduler,
  type Transport,
  type TransportResult,
} from '../src/index.js';
import { MAX_FIELD_LENGTH } from '../src/validate.js';
import { type Behaviour, createFakeServer, event, type FakeServer, sequentialIds } from './fake-server.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const ok: Behaviour = { kind: 'answer', status: 200 };

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

function setup(options: Partial<SchedulerOptions> = {}, server: FakeServer = createFakeServer()) {
  const scheduler = new ServerUpdateScheduler({
    transport: server.transport,
    workerId: 'w1',
    createBatchId: sequentialIds(),
    random: () => 0.5,
    ...options,
  });
  const letters: DeadLetter[] = [];
  scheduler.on('deadletter', (letter) => letters.push(letter));
  return { scheduler, server, letters };
}

/** Answers request by request from `answers`, then `rest`. */
function sequence(answers: readonly Behaviour[], rest: Behaviour = ok) {
  return (_batch: Batch, index: number): Behaviour => answers[index] ?? rest;
}

const ids = (from: number, to: number, prefix = '') =>
  Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
const eventIdsOf = (batch: Batch | undefined) => batch?.campaigns.flatMap((c) => c.events.map((e) => e.eventId)) ?? [];

/** Lets everything that needs no timer settle (promise chains, process.nextTick). */
async function settleMicrotasks() {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => process.nextTick(resolve));
}

describe('1. a batch applied, its answer lost, its retry refused 413', () => {
  it('splits it into halves with ids derived from the parent, whose events the server applies once', async () => {
    const server = createFakeServer({ behave: sequence([{ kind: 'apply-then-hang' }, { kind: 'too-large' }]) });
    const { scheduler, letters } = setup({ minIntervalMs: SECOND, requestTimeoutMs: 5 * SECOND }, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 10; i++) scheduler.record('c1', event(i));
    scheduler.setStatus('c1', { state: 'completed', sent: 10, failed: 0, total: 10 });
    await vi.advanceTimersByTimeAsync(MINUTE);

    expect(server.log.map((r) => [r.batchId, r.events, r.outcome])).toEqual([
      ['b1', 10, 'applied, then hang'],
      ['b1', 10, '413'],
      ['b1.1', 5, 'applied'],
      ['b1.2', 5, 'applied'],
    ]);
    // The halves carry the parent's events with their event ids, so the server knows them.
    const parent = eventIdsOf(server.batches[0]);
    expect(parent.every((id) => typeof id === 'string')).toBe(true);
    expect([...eventIdsOf(server.batches[2]), ...eventIdsOf(server.batches[3])]).toEqual(parent);
    expect(server.applied('c1')).toEqual(ids(0, 10));
    expect(server.duplicateEvents).toBe(10);
    // The status goes again with the second half: the same status, a repeat, not a stale one.
    expect(server.statuses.get('c1')?.map((s) => s.state)).toEqual(['completed']);
    expect(server.repeatedStatuses).toBe(1);
    expect(server.staleStatuses).toBe(0);
    expect(server.staleStatusesSeen).toBe(0);
    expect(letters).toEqual([]);
    expect(scheduler.stats()).toMatchObject({ eventsDelivered: 10, statusesDelivered: 1, deadLettered: 0 });
  });

  it('does so for a bulk batch of several campaigns, and for a reset after apply, split twice by a size limit', async () => {
    let limited = false;
    const server = createFakeServer({
      // After the first request, the server's limit drops to 8 events a request.
      tooLarge: (batch) => limited && batch.campaigns.reduce((n, c) => n + c.events.length, 0) > 8,
      behave: (_batch, index) => {
        limited = true;
        return index === 0 ? { kind: 'lose-answer' } : ok;
      },
    });
    const { scheduler, letters } = setup({ minIntervalMs: SECOND }, server);
    for (const id of ['a', 'b', 'c']) {
      scheduler.registerCampaign(id, { emailsPerMinute: 300 });
      for (let i = 0; i < 10; i++) scheduler.record(id, event(`${id}${i}`));
      scheduler.setStatus(id, { state: 'running', sent: 10, failed: 0, total: 20 });
    }
    await vi.advanceTimersByTimeAsync(2 * MINUTE);

    expect(server.log[0]).toMatchObject({ batchId: 'b1', campaigns: ['a', 'b', 'c'], outcome: 'applied, answer lost' });
    expect(server.log[1]).toMatchObject({ batchId: 'b1', outcome: '413' });
    // Every later request is a part of b1, named after it.
    for (const request of server.log.slice(2)) expect(request.batchId).toMatch(/^b1(\.[12])+$/);
    for (const id of ['a', 'b', 'c']) {
      expect(server.applied(id)).toEqual(ids(0, 10, id));
      expect(server.held(id)).toMatchObject({ seq: 1, sent: 10 });
    }
    expect(server.duplicateEvents).toBe(30);
    expect(server.staleStatusesSeen).toBe(0);
    expect(server.staleStatuses).toBe(0);
    expect(letters).toEqual([]);
    expect(scheduler.stats().eventsDelivered).toBe(30);
  });
});

describe('2. a server following the IETF Idempotency-Key draft (409 while the key is still processing)', () => {
  it('retries the same batch later under the same id: nothing applied twice, nothing dead-lettered', async () => {
    // Each batch takes the server 40 s, longer than the scheduler waits (30 s); it goes on working meanwhile.
    const started = new Set<string>();
    const server = createFakeServer({
      idempotencyDraft: true,
      behave: (batch) => {
        if (started.has(batch.batchId)) return ok;
        started.add(batch.batchId);
        return { kind: 'process', latencyMs: 40 * SECOND };
      },
    });
    const { scheduler, letters } = setup({}, server);
    for (const id of ['a', 'b', 'c']) {
      scheduler.registerCampaign(id, { emailsPerMinute: 300 });
      for (let i = 0; i < 20; i++) scheduler.record(id, event(`${id}${i}`));
    }
    await vi.advanceTimersByTimeAsync(5 * MINUTE);

    expect(server.log.map((r) => [r.at - T0, r.batchId, r.outcome])).toEqual([
      [30_000, 'b1', 'applied (processed)'],
      [67_500, 'b1', '409'],
      [82_500, 'b1', 'duplicate'],
    ]);
    for (const id of ['a', 'b', 'c']) expect(server.applied(id)).toEqual(ids(0, 20, id));
    expect(letters).toEqual([]);
    expect(scheduler.stats()).toMatchObject({ eventsDelivered: 60, deadLettered: 0, unacknowledgedBatches: 0 });
  });

  it('keeps a worker’s 600 events exactly once over 20 minutes of a slow draft server', async () => {
    const started = new Set<string>();
    const server = createFakeServer({
      idempotencyDraft: true,
      behave: (batch) => {
        if (started.has(batch.batchId)) return { kind: 'answer', status: 200, latencyMs: 500 };
        started.add(batch.batchId);
        return { kind: 'process', latencyMs: 35 * SECOND };
      },
    });
    const { scheduler, letters } = setup({ random: () => 0.1 }, server);
    const rates = { a: 10, b: 20 };
    for (const [id, rate] of Object.entries(rates)) scheduler.registerCampaign(id, { emailsPerMinute: rate });
    for (let s = 0; s < 20 * 60; s++) {
      if (s % 6 === 0) scheduler.record('a', event(`a${s / 6}`));
      if (s % 3 === 0) scheduler.record('b', event(`b${s / 3}`));
      await vi.advanceTimersByTimeAsync(SECOND);
    }
    scheduler.setStatus('a', { state: 'completed', sent: 200, failed: 0, total: 200 });
    scheduler.setStatus('b', { state: 'completed', sent: 400, failed: 0, total: 400 });
    const closing = scheduler.close({ timeoutMs: HOUR });
    await vi.runAllTimersAsync();
    expect((await closing).complete).toBe(true);

    expect(server.conflicts).toBeGreaterThan(0);
    expect(server.keyReuses).toBe(0);
    expect(server.applied('a')).toEqual(ids(0, 200, 'a'));
    expect(server.applied('b')).toEqual(ids(0, 400, 'b'));
    expect(letters).toEqual([]);
    expect(scheduler.stats().eventsDelivered).toBe(600);
  });

  it('retries a bare 409 under the same id rather than dead-lettering what the server may have applied', async () => {
    const conflict: Behaviour = { kind: 'apply-then-answer', status: 409, message: 'still processing' };
    const server = createFakeServer({ behave: sequence([conflict, { kind: 'answer', status: 409 }]) });
    const { scheduler, letters } = setup({}, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 5; i++) scheduler.record('c1', event(i));
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(server.log.map((r) => r.batchId)).toEqual(['b1', 'b1']);
    expect(server.applied('c1')).toEqual(ids(0, 5));
    expect(letters).toEqual([]);
    expect(scheduler.stats().eventsDelivered).toBe(5);
  });
});

describe('3. answers that look like success but acknowledge nothing', () => {
  const html =
    '200 answer is not the contract\'s bulk answer { accepted, duplicate, control? }: not JSON (content-type text/html), body "<!doctype html><title>Sign in</title>…"';
  const text = '200 answer is not the contract\'s bulk answer: not JSON (content-type text/plain), body "OK"';
  const refused =
    '200 answer is not the contract\'s bulk answer: `accepted` must be an integer, body {"accepted":false}';
  const login = 'redirected to https://sso.example.com/login?next=%2Fapi%2Fupdates by a 302';
  type Answered = Extract<Behaviour, { kind: 'answer' | 'not-acknowledged' }>;
  const bare302: Answered = { kind: 'answer', status: 302 };
  const cases: Array<[string, Answered, RegExp]> = [
    ['a 200 with an HTML page', { kind: 'not-acknowledged', status: 200, reason: html }, /Sign in/],
    ['a 200 with text', { kind: 'not-acknowledged', status: 200, reason: text }, /text\/plain/],
    ['a 200 with {"accepted":false}', { kind: 'not-acknowledged', status: 200, reason: refused }, /accepted/],
    ['a 302 to a login page', { kind: 'not-acknowledged', status: 302, reason: login }, /sso\.example\.com\/login/],
    ['a bare 302', bare302, /302/],
  ];

  it.each(cases)('%s: never counted delivered, retried, then dead-lettered with the reason', async (_, answer, why) => {
    const server = createFakeServer({ behave: () => answer });
    const { scheduler, letters } = setup({}, server);
    const deliveredSeen: number[] = [];
    scheduler.on('response', () => deliveredSeen.push(scheduler.stats().eventsDelivered));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 7; i++) scheduler.record('c1', event(i));
    await vi.advanceTimersByTimeAsync(30 * MINUTE);

    // maxInvalidAnswers (5) attempts of the same batch, then a dead letter with the events and the reason.
    expect(server.log.map((r) => r.batchId)).toEqual(['b1', 'b1', 'b1', 'b1', 'b1']);
    expect(deliveredSeen).toEqual([0, 0, 0, 0, 0]);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ batchId: 'b1', campaignId: 'c1', httpStatus: answer.status });
    expect(letters[0]!.events.map((e) => e.recipientId)).toEqual(ids(0, 7));
    expect(letters[0]!.reason).toMatch(why);
    expect(letters[0]!.reason).toMatch(/5/);
    expect(scheduler.stats()).toMatchObject({ eventsDelivered: 0, deadLettered: 7, invalidAnswers: 5 });
    expect(server.allApplied()).toEqual([]);
  });

  it('a custom transport resolving a bare 302 is not a delivery either', async () => {
    const seen: Batch[] = [];
    const transport: Transport = Object.assign(
      async (batch: Batch): Promise<TransportResult> => {
        seen.push(batch);
        return { status: 302 };
      },
      { shape: 'bulk' as const },
    );
    const { scheduler, letters } = setup({ transport, maxInvalidAnswers: 3 });
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(seen.map((b) => b.batchId)).toEqual(['b1', 'b1', 'b1']);
    expect(letters.map((l) => [l.httpStatus, l.events.length])).toEqual([[302, 1]]);
    expect(letters[0]!.reason).toMatch(/redirect/);
    expect(scheduler.stats()).toMatchObject({ eventsDelivered: 0, deadLettered: 1 });
  });

  it.each(cases)('%s, then a server that comes right: everything delivered once', async (_, answer) => {
    const server = createFakeServer({ behave: sequence([answer, answer]) });
    const { scheduler, letters } = setup({}, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 7; i++) scheduler.record('c1', event(i));
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(server.log.map((r) => [r.batchId, r.outcome])).toEqual([
      ['b1', answer.kind === 'answer' ? '302' : 'not-acknowledged'],
      ['b1', answer.kind === 'answer' ? '302' : 'not-acknowledged'],
      ['b1', 'applied'],
    ]);
    expect(server.applied('c1')).toEqual(ids(0, 7));
    expect(letters).toEqual([]);
    expect(scheduler.stats()).toMatchObject({ eventsDelivered: 7, deadLettered: 0, invalidAnswers: 2 });
  });
});

describe('4. Retry-After: 999999999 (seconds)', () => {
  it('is honoured up to maxRetryAfterMs (default 10 min): all 360 events delivered within 30 min', async () => {
    const forever: Behaviour = { kind: 'answer', status: 503, retryAfterMs: 999_999_999 * SECOND };
    const server = createFakeServer({ behave: sequence([forever]) });
    // The default options (a fixed jitter only, for a deterministic run).
    const scheduler = new ServerUpdateScheduler({ transport: server.transport, random: () => 0.5 });
    for (const id of ['a', 'b', 'c']) {
      scheduler.registerCampaign(id, { emailsPerMinute: 300 });
      for (let i = 0; i < 120; i++) scheduler.record(id, event(`${id}${i}`));
    }
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    for (const id of ['a', 'b', 'c']) expect(server.applied(id)).toEqual(ids(0, 120, id));
    expect(scheduler.stats()).toMatchObject({ eventsDelivered: 360, pendingEvents: 0, unacknowledgedEvents: 0 });
    // It waited the capped Retry-After, no less.
    const [first, second] = server.log;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(second!.at - first!.at).toBeLessThan(11 * MINUTE);
  });
});

describe('5. a wall clock stepped back 1 h (default clock)', () => {
  it('does not stall delivery: requests keep coming at the interval', async () => {
    const { scheduler, server } = setup();
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 }); // every 30 s
    let n = 0;
    const run = async (seconds: number) => {
      for (let s = 0; s < seconds; s++) {
        scheduler.record('c1', event(n++));
        await vi.advanceTimersByTimeAsync(SECOND);
      }
    };
    await run(300);
    const before = server.log.length;
    expect(before).toBeGreaterThanOrEqual(9);
    vi.setSystemTime(Date.now() - HOUR);
    await run(300);
    // In the 5 minutes after the step: a request every 30 s, as before it.
    expect(server.log.length - before).toBeGreaterThanOrEqual(9);
    const gaps = server.log.slice(before).map((r, i) => r.at - server.log[before + i - 1]!.at);
    expect(gaps.filter((gap) => gap > 0).every((gap) => gap <= 31 * SECOND)).toBe(true);
    // Everything recorded more than an interval ago has reached the server.
    expect(server.applied('c1').length).toBeGreaterThanOrEqual(n - 31);
  });
});

describe('6. values JSON cannot carry', () => {
  it('refuses a circular, BigInt or function field at record(), with a TypeError naming the field', () => {
    const { scheduler } = setup();
    scheduler.registerCampaign('c1');
    const circular: Record<string, unknown> = { note: 'x' };
    circular.self = circular;
    const bad: Array<[string, Record<string, unknown>]> = [
      ['event.error', { ...event(1, 'failed'), error: circular }],
      ['event.email', { ...event(2), email: 10n }],
      ['event.messageId', { ...event(3), messageId: () => 'id' }],
      ['event.recipientId', { ...event(4), recipientId: 4n }],
      ['event.at', { ...event(5), at: 1_700_000_000_000n }],
    ];
    for (const [field, value] of bad) {
      expect(() => scheduler.record('c1', value as never)).toThrow(TypeError);
      expect(() => scheduler.record('c1', value as never)).toThrow(`\`${field}\``);
    }
    expect(scheduler.stats().pendingEvents).toBe(0);
  });

  it('dead-letters one campaign a transport cannot encode, with the reason, and the others keep flowing', async () => {
    const server = createFakeServer();
    const transport: Transport = Object.assign(
      (batch: Batch, context: { signal: AbortSignal }) => {
        if (batch.campaigns.some((c) => c.campaignId === 'bad')) {
          throw new BatchEncodingError(['bad'], new TypeError('Do not know how to serialize a BigInt'));
        }
        return server.transport(batch, context);
      },
      { shape: 'bulk' as const },
    );
    const { scheduler, letters } = setup({ transport });
    const breaker: string[] = [];
    scheduler.on('breaker', (b) => breaker.push(b.state));
    for (const id of ['a', 'bad', 'c']) {
      scheduler.registerCampaign(id, { emailsPerMinute: 300 });
      for (let i = 0; i < 30; i++) scheduler.record(id, event(`${id}${i}`));
    }
    await vi.advanceTimersByTimeAsync(MINUTE);
    // The first request that reaches the server carries the others' updates (the part of b1 that encodes).
    expect(server.log[0]).toMatchObject({ batchId: 'b1.1', campaigns: ['a', 'c'], events: 60 });
    expect(server.applied('a')).toEqual(ids(0, 30, 'a'));
    expect(server.applied('c')).toEqual(ids(0, 30, 'c'));
    expect(letters.map((l) => [l.campaignId, l.events.length, l.httpStatus])).toEqual([['bad', 30, undefined]]);
    expect(letters[0]!.reason).toMatch(/BigInt/);
    expect(letters[0]!.events.map((e) => e.recipientId)).toEqual(ids(0, 30, 'bad'));

    // And it goes on so: later events of the others are delivered in the next requests.
    for (const id of ['a', 'bad', 'c']) for (let i = 30; i < 40; i++) scheduler.record(id, event(`${id}${i}`));
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(server.applied('a')).toEqual(ids(0, 40, 'a'));
    expect(server.applied('c')).toEqual(ids(0, 40, 'c'));
    expect(letters.flatMap((l) => l.events.map((e) => e.recipientId))).toEqual(ids(0, 40, 'bad'));
    expect(breaker).toEqual([]);
    expect(scheduler.stats()).toMatchObject({ breaker: 'closed', eventsDelivered: 80, deadLettered: 40, retries: 0 });
  });
});

describe('7. events the server would refuse or misread', () => {
  it('refuses bad dates, unknown and forged keys and oversized text at record(), naming the field', () => {
    const { scheduler } = setup();
    scheduler.registerCampaign('c1');
    const cases: Array<[unknown, ErrorConstructor, string]> = [
      [{ ...event(1), at: '2026-13-45T99:99:99Z' }, TypeError, '`event.at`'],
      [{ ...event(2), at: '2026-11-28T10:00:00' }, TypeError, '`event.at`'],
      [{ ...event(3), campaignId: 'c1' }, TypeError, '`event.campaignId`'],
      [
        JSON.parse('{"recipientId":"4","outcome":"sent","at":"2026-11-28T10:00:00Z","__proto__":{"admin":true}}'),
        TypeError,
        '`__proto__`',
      ],
      [{ ...event(5), constructor: 'x' }, TypeError, '`constructor`'],
      [{ ...event(6, 'failed'), error: 'x'.repeat(MAX_FIELD_LENGTH + 1) }, RangeError, '`event.error`'],
      [{ ...event(7), email: `${'x'.repeat(MAX_FIELD_LENGTH)}@example.com` }, RangeError, '`event.email`'],
    ];
    for (const [value, type, field] of cases) {
      expect(() => scheduler.record('c1', value as never)).toThrow(type);
      expect(() => scheduler.record('c1', value as never)).toThrow(field);
    }
    expect(scheduler.stats().pendingEvents).toBe(0);
  });

  it('takes a Date, epoch ms and an ISO string with an offset, and sends them as ISO UTC', async () => {
    const { scheduler, server, letters } = setup();
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.record('c1', { recipientId: 'd', outcome: 'sent', at: new Date(T0 + 1_000) });
    scheduler.record('c1', { recipientId: 'n', outcome: 'sent', at: T0 + 2_000 });
    scheduler.record('c1', { recipientId: 'o', outcome: 'sent', at: '2026-11-28T12:00:03+02:00' });
    scheduler.record('c1', { ...event('long', 'failed'), error: 'x'.repeat(MAX_FIELD_LENGTH) });
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(server.events.get('c1')?.map((e) => [e.recipientId, e.at])).toEqual([
      ['d', '2026-11-28T10:00:01.000Z'],
      ['n', '2026-11-28T10:00:02.000Z'],
      ['o', '2026-11-28T10:00:03.000Z'],
      ['long', '2026-11-28T10:00:00.000Z'],
    ]);
    expect(letters).toEqual([]);
  });

  it('keeps 30 good events flowing around the refused ones: none dead-lettered', async () => {
    const { scheduler, server, letters } = setup();
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 30; i++) {
      scheduler.record('c1', event(i));
      expect(() => scheduler.record('c1', { ...event(`bad${i}`), at: '2026-13-45T99:99:99Z' })).toThrow('`event.at`');
    }
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(server.applied('c1')).toEqual(ids(0, 30));
    expect(letters).toEqual([]);
  });
});

describe('8. createBatchId: () => "same"', () => {
  it.each([
    ['a server that acknowledges a repeated id without applying it', false],
    ['a server following the Idempotency-Key draft (422 for a key reused with another body)', true],
  ])('against %s: every event delivered once, the repeats reported and replaced', async (_, idempotencyDraft) => {
    const server = createFakeServer({ idempotencyDraft });
    const { scheduler, letters } = setup({ createBatchId: () => 'same' }, server);
    const errors: ErrorEvent[] = [];
    scheduler.on('error', (problem) => errors.push(problem));
    scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
    scheduler.registerCampaign('c2', { emailsPerMinute: 300 });
    for (let i = 0; i < 200; i++) scheduler.record('c1', event(`c1-${i}`));
    for (let i = 0; i < 50; i++) scheduler.record('c2', event(`c2-${i}`));
    await vi.advanceTimersByTimeAsync(5 * MINUTE);

    expect(server.applied('c1')).toEqual(ids(0, 200, 'c1-'));
    expect(server.applied('c2')).toEqual(ids(0, 50, 'c2-'));
    expect(scheduler.stats().eventsDelivered).toBe(server.allApplied().length);
    const batchIds = server.log.map((r) => r.batchId);
    expect(batchIds[0]).toBe('same');
    expect(new Set(batchIds).size).toBe(batchIds.length);
    expect(errors.length).toBe(batchIds.length - 1);
    for (const problem of errors) {
      expect(problem.source).toBe('createBatchId');
      expect(String((problem.error as Error).message)).toMatch(/same/);
    }
    expect(letters).toEqual([]);
  });
});

describe('8b. createBatchId giving the name of a split batch part', () => {
  it('is reported and replaced, so a later batch is not taken for a part the server already applied', async () => {
    const server = createFakeServer({ behave: sequence([{ kind: 'too-large' }]) });
    const given = ['a', 'a.1', 'a.2'];
    let calls = 0;
    const { scheduler, letters } = setup(
      { createBatchId: () => given[calls++] ?? `b${calls}`, minIntervalMs: SECOND },
      server,
    );
    const errors: ErrorEvent[] = [];
    scheduler.on('error', (problem) => errors.push(problem));
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    for (let i = 0; i < 10; i++) scheduler.record('c1', event(i));
    const flushed = scheduler.flush();
    await vi.advanceTimersByTimeAsync(10 * SECOND);
    await flushed;
    for (let i = 10; i < 20; i++) scheduler.record('c1', event(i));
    await vi.advanceTimersByTimeAsync(5 * MINUTE);

    expect(server.log.slice(0, 3).map((r) => r.batchId)).toEqual(['a', 'a.1', 'a.2']);
    expect(server.applied('c1')).toEqual(ids(0, 20));
    expect(errors.map((problem) => String((problem.error as Error).message))).toEqual([
      expect.stringContaining('"a.1"'),
    ]);
    expect(letters).toEqual([]);
  });
});

describe('9. a random that is not a number in [0, 1)', () => {
  it('refuses random: () => NaN at construction, naming random', () => {
    const transport = createFakeServer().transport;
    expect(() => new ServerUpdateScheduler({ transport, random: () => Number.NaN })).toThrow(RangeError);
    expect(() => new ServerUpdateScheduler({ transport, random: () => Number.NaN })).toThrow('`random`');
  });

  it.each([Number.NaN, 1, -0.5, Number.POSITIVE_INFINITY, undefined])(
    'reports one that turns bad later (%s) once, and delivery goes on with retries',
    async (badValue) => {
      let calls = 0;
      const random = () => (++calls === 1 ? 0.5 : badValue) as number;
      const server = createFakeServer({
        behave: sequence([500, 500, 500].map((status) => ({ kind: 'answer', status }))),
      });
      const { scheduler, letters } = setup({ random }, server);
      const errors: ErrorEvent[] = [];
      scheduler.on('error', (problem) => errors.push(problem));
      const delays: number[] = [];
      scheduler.on('retry', (retry) => delays.push(retry.delayMs));
      scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
      scheduler.record('c1', event(1));
      await vi.advanceTimersByTimeAsync(10 * MINUTE);

      expect(server.applied('c1')).toEqual(['1']);
      expect(server.log.map((r) => r.batchId)).toEqual(['b1', 'b1', 'b1', 'b1']);
      expect(delays).toHaveLength(3);
      for (const [i, delay] of delays.entries()) {
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(15_000 * 2 ** i);
      }
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ source: 'random' });
      expect(String((errors[0]!.error as Error).message)).toMatch(/`random`/);
      expect(letters).toEqual([]);
    },
  );
});

describe('10. a slow server', () => {
  it('at 240/min against 3 s answers: pending stays under two batches, and a final flush takes under a minute', async () => {
    const server = createFakeServer({ behave: () => ({ kind: 'answer', status: 200, latencyMs: 3 * SECOND }) });
    const { scheduler, letters } = setup({}, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 240 });
    let peak = 0;
    const total = 240 * 10;
    for (let i = 0; i < total; i++) {
      await scheduler.record('c1', event(i));
      await vi.advanceTimersByTimeAsync(250);
      peak = Math.max(peak, scheduler.stats().pendingEvents);
    }
    expect(scheduler.stats().stretch).toBeGreaterThan(1); // the server is seen as slow
    expect(peak, `peak of pending events: ${peak}`).toBeLessThan(2 * 100);

    scheduler.setStatus('c1', { state: 'completed', sent: total, failed: 0, total });
    let flushedAt: number | undefined;
    const flushing = scheduler.flush().then(() => {
      flushedAt = Date.now();
    });
    const flushStart = Date.now();
    await vi.advanceTimersByTimeAsync(MINUTE);
    await flushing;
    expect(flushedAt! - flushStart).toBeLessThanOrEqual(MINUTE);
    expect(server.applied('c1')).toEqual(ids(0, total));
    expect(server.held('c1')?.state).toBe('completed');
    expect(letters).toEqual([]);
  });

  it('slow because of load: 40 campaigns at 10/min make fewer requests an hour with the stretch than without', async () => {
    // The server's latency grows with the requests it saw in the last minute: 500 ms each. The legacy shape (a
    // request per campaign) and a 5 s spacing let the scheduler load it; the bulk shape never does.
    async function requestsInSecondHour(options: Partial<SchedulerOptions>) {
      vi.setSystemTime(T0);
      const server: FakeServer = createFakeServer({
        shape: 'legacy',
        behave: (_batch, _index, now) => ({
          kind: 'answer',
          status: 200,
          latencyMs: 500 * server.log.filter((r) => r.at > now - MINUTE).length,
        }),
      });
      const { scheduler, letters } = setup({ minIntervalMs: 5 * SECOND, ...options }, server);
      const campaigns = Array.from({ length: 40 }, (_, c) => `c${c}`);
      for (const id of campaigns) scheduler.registerCampaign(id, { emailsPerMinute: 10 });
      let n = 0;
      const worker = setInterval(() => {
        for (const id of campaigns) void scheduler.record(id, event(`${id}-${n}`));
        n++;
      }, 6 * SECOND);
      await vi.advanceTimersByTimeAsync(2 * HOUR);
      clearInterval(worker);
      const closing = scheduler.close({ timeoutMs: HOUR });
      await vi.runAllTimersAsync();
      expect((await closing).complete).toBe(true);
      for (const id of campaigns) expect(server.applied(id)).toHaveLength(n);
      expect(letters).toEqual([]);
      const secondHour = server.log.filter((r) => r.at - T0 >= HOUR && r.at - T0 < 2 * HOUR);
      return secondHour.length;
    }
    const stretched = await requestsInSecondHour({});
    const unstretched = await requestsInSecondHour({ maxStretch: 1 });
    expect(stretched, `requests an hour: ${stretched} stretched, ${unstretched} with maxStretch 1`).toBeLessThan(
      unstretched * 0.75,
    );
  });
});

describe('11. a listener of request that throws', () => {
  async function run(listener: () => unknown, withErrorListener: boolean) {
    const { scheduler, server } = setup();
    const problems: unknown[] = [];
    const onProblem = (error: unknown) => problems.push(error);
    process.on('uncaughtException', onProblem);
    process.on('unhandledRejection', onProblem);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const reported: ErrorEvent[] = [];
    if (withErrorListener) scheduler.on('error', (problem) => reported.push(problem));
    try {
      scheduler.on('request', listener as () => void);
      scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
      for (let i = 0; i < 4; i++) {
        scheduler.record('c1', event(i));
        await vi.advanceTimersByTimeAsync(30 * SECOND);
      }
      await settleMicrotasks();
      // A rejection is reported unhandled only after a turn of the real event loop.
      vi.useRealTimers();
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('uncaughtException', onProblem);
      process.off('unhandledRejection', onProblem);
      process.off('warning', onWarning);
    }
    return { scheduler, server, problems, warnings, reported };
  }

  it('does not disturb delivery, crashes nothing, and is reported once as an error event', async () => {
    const { scheduler, server, problems, reported } = await run(() => {
      throw new Error('listener bug');
    }, true);
    expect(server.applied('c1')).toEqual(ids(0, 4));
    expect(problems).toEqual([]);
    expect(reported).toEqual([
      { source: 'listener', event: 'request', error: expect.objectContaining({ message: 'listener bug' }) },
    ]);
    expect(scheduler.stats()).toMatchObject({ eventsDelivered: 4, listenerErrors: 4 });
  });

  it('without an error listener, is reported once as a process warning', async () => {
    const { server, problems, warnings } = await run(() => {
      throw new Error('listener bug');
    }, false);
    expect(server.applied('c1')).toEqual(ids(0, 4));
    expect(problems).toEqual([]);
    expect(warnings.filter((w) => w.includes('listener bug'))).toHaveLength(1);
  });

  it('an async listener that rejects: no unhandled rejection, reported once', async () => {
    const { server, problems, reported } = await run(async () => {
      throw new Error('async listener bug');
    }, true);
    expect(server.applied('c1')).toEqual(ids(0, 4));
    expect(problems).toEqual([]);
    expect(reported).toEqual([
      { source: 'listener', event: 'request', error: expect.objectContaining({ message: 'async listener bug' }) },
    ]);
  });
});

describe('12. many finished campaigns', () => {
  // 20,000 rather than 100,000 keeps the run to a couple of seconds on a busy machine; the names of the last
  // `rememberFinishedCampaigns` (100,000) finished campaigns are kept, beyond that a late update is refused (below).
  const CAMPAIGNS = 20_000;
  const WAVE = 2_000;

  it(`forgets ${CAMPAIGNS} finished campaigns, yet takes a late update and a flush of any of them`, async () => {
    const { scheduler, server, letters } = setup({ minIntervalMs: SECOND, maxBatchCampaigns: 500 });
    for (let wave = 0; wave < CAMPAIGNS / WAVE; wave++) {
      for (let i = wave * WAVE; i < (wave + 1) * WAVE; i++) {
        const id = `c${i}`;
        scheduler.registerCampaign(id, { emailsPerMinute: 10, total: 1 });
        scheduler.record(id, event(`${id}-0`));
        scheduler.setStatus(id, { state: 'completed', sent: 1, failed: 0, total: 1 });
      }
      await vi.advanceTimersByTimeAsync(10 * SECOND);
      expect(scheduler.stats().campaigns).toBe(0);
    }
    expect(server.allApplied()).toHaveLength(CAMPAIGNS);
    expect(scheduler.stats()).toMatchObject({ campaigns: 0, eventsDelivered: CAMPAIGNS, pendingEvents: 0 });

    // A flush of a forgotten campaign resolves at once: the first one finished, and the last.
    for (const id of ['c0', `c${CAMPAIGNS - 1}`]) {
      let outcome = 'pending';
      scheduler.flush(id).then(
        () => {
          outcome = 'resolved';
        },
        (error: Error) => {
          outcome = `rejected: ${error.message}`;
        },
      );
      await settleMicrotasks();
      expect.soft(outcome, `flush("${id}")`).toBe('resolved');
    }

    // A late event of a finished campaign is taken and delivered; its status goes on from the seq it had.
    const late = [`c${CAMPAIGNS - 1}`, 'c0'];
    const refused: string[] = [];
    for (const id of late) {
      try {
        scheduler.record(id, event(`${id}-late`));
        scheduler.setStatus(id, { state: 'completed', sent: 2, failed: 0, total: 2 });
      } catch (error) {
        refused.push(`${id}: ${(error as Error).message}`);
      }
    }
    expect.soft(refused, 'late updates refused').toEqual([]);
    const flushing = scheduler.flush();
    await vi.advanceTimersByTimeAsync(MINUTE);
    await flushing;
    for (const id of late) {
      expect.soft(server.applied(id), `events of "${id}"`).toEqual([`${id}-0`, `${id}-late`]);
      expect.soft(server.held(id), `status of "${id}"`).toMatchObject({ seq: 2, sent: 2 });
    }
    expect(server.staleStatuses).toBe(0);
    expect(letters).toEqual([]);
  }, 120_000);

  it('keeps the names of the last rememberFinishedCampaigns only, and says so when a late update comes for another', async () => {
    const { scheduler, server } = setup({ minIntervalMs: SECOND, rememberFinishedCampaigns: 5 });
    for (let i = 0; i < 10; i++) {
      scheduler.registerCampaign(`c${i}`, { emailsPerMinute: 10 });
      scheduler.record(`c${i}`, event(`c${i}-0`));
      scheduler.setStatus(`c${i}`, { state: 'completed', sent: 1, failed: 0, total: 1 });
    }
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(server.allApplied()).toHaveLength(10);
    expect(() => scheduler.record('c0', event('c0-late'))).toThrow(/Unknown campaign "c0".*rememberFinishedCampaigns/);
    await expect(scheduler.flush('c0')).rejects.toThrow(/Unknown campaign "c0"/);
    await expect(scheduler.flush('c9')).resolves.toBeUndefined();
    scheduler.record('c9', event('c9-late'));
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    expect(server.applied('c9')).toEqual(['c9-0', 'c9-late']);
  });
});

describe('13. close() with a huge backlog under backpressure', () => {
  it('resolves quickly with every event accounted for', async () => {
    vi.useRealTimers();
    const RECORDED = 990_000;
    const server = createFakeServer({ behave: () => ({ kind: 'hang' }) });
    const { scheduler, letters } = setup({ maxPendingEvents: 1_000 }, server);
    scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
    scheduler.registerCampaign('c2', { emailsPerMinute: 10 });
    const waiting: Array<Promise<void>> = [];
    const heapBefore = process.memoryUsage().heapUsed;
    const at = new Date(T0).toISOString();
    for (let i = 0; i < RECORDED; i++) {
      const result = scheduler.record(i % 3 === 0 ? 'c2' : 'c1', { recipientId: `r${i}`, outcome: 'sent', at });
      if (result !== undefined) waiting.push(result);
    }
    const heapAfter = process.memoryUsage().heapUsed;
    expect(waiting.length).toBeGreaterThanOrEqual(RECORDED - 1_000);
    expect(scheduler.stats().backpressure).toBe(true);

    const start = performance.now();
    const report = await scheduler.close({ timeoutMs: 0 });
    const elapsed = performance.now() - start;
    console.info(
      `close({ timeoutMs: 0 }) with ${RECORDED} events held: ${elapsed.toFixed(0)} ms; heap for the backlog ~${Math.round((heapAfter - heapBefore) / 2 ** 20)} MiB`,
    );
    expect(elapsed).toBeLessThan(5_000);
    expect(report.complete).toBe(false);
    expect(report.eventsLeft + report.eventsDelivered + report.deadLettered).toBe(RECORDED);
    expect(report.eventsLeft).toBe(RECORDED - letters.flatMap((l) => l.events).length - report.eventsDelivered);
    // Every caller waiting for room gets an answer.
    await Promise.all(waiting);
  }, 120_000);
});

describe('a batch the transport cannot write as a request', () => {
  it('is dead-lettered with the reason, not retried as a network failure, and the other campaigns keep flowing', async () => {
    const requested: string[] = [];
    const transport = createHttpTransport({
      baseUrl: 'http://main.test',
      shape: 'legacy',
      urls: { events: (id) => (id === 'bad' ? 'ftp://elsewhere/events' : `/api/campaigns/${id}/events`) },
      fetch: async (url) => {
        requested.push(String(url));
        return new Response(JSON.stringify({ accepted: 1, duplicate: false }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    const letters: DeadLetter[] = [];
    const scheduler = new ServerUpdateScheduler({ transport, minIntervalMs: SECOND, random: () => 0.5 });
    scheduler.on('deadletter', (letter) => letters.push(letter));
    for (const id of ['bad', 'good']) {
      scheduler.registerCampaign(id, { emailsPerMinute: 300 });
      scheduler.record(id, event(`${id}-1`));
    }
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(letters).toEqual([
      expect.objectContaining({
        campaignId: 'bad',
        reason: expect.stringContaining('Expected `urls.events` to return a relative or http(s) URL'),
      }),
    ]);
    expect(requested).toEqual(['http://main.test/api/campaigns/good/events']);
    expect(scheduler.stats()).toMatchObject({ eventsDelivered: 1, deadLettered: 1, retries: 0, breaker: 'closed' });
  });
});

describe('a second attack: answers, URLs and forgotten campaigns', () => {
  const okTransport = (answers: Array<Record<string, unknown>>, seen: string[]) =>
    Object.assign(
      async (batch: Batch) => {
        seen.push(batch.batchId);
        return (answers.shift() ?? { status: 200 }) as unknown as TransportResult;
      },
      { shape: 'bulk' as const },
    ) as Transport;

  it.each([
    ['a NaN retryAfterMs', { status: 503, retryAfterMs: Number.NaN }],
    ['a text retryAfterMs', { status: 503, retryAfterMs: 'soon' }],
    ['a control that is not an array', { status: 200, control: {} }],
    ['a control with null entries', { status: 200, control: [null, 5] }],
  ])('an answer with %s is a failed attempt: nothing stalls, nothing crashes', async (_, answer) => {
    const seen: string[] = [];
    const scheduler = new ServerUpdateScheduler({
      transport: okTransport([answer], seen),
      minIntervalMs: SECOND,
      maxBatchCampaigns: 1,
      random: () => 0.5,
    });
    const retries: string[] = [];
    scheduler.on('retry', (r) => retries.push(r.reason));
    for (const id of ['a', 'b']) {
      scheduler.registerCampaign(id, { emailsPerMinute: 300 });
      scheduler.record(id, event(`${id}-1`));
    }
    const flushed = scheduler.flush();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    await flushed;
    expect(retries).toEqual([expect.stringContaining('transport resolved')]);
    expect(scheduler.stats()).toMatchObject({ eventsDelivered: 2, pendingEvents: 0, unacknowledgedBatches: 0 });
  });

  it('keeps the path of baseUrl for the legacy endpoints, as for the bulk one', async () => {
    const urls: string[] = [];
    const fetch = async (url: string | URL | Request) => {
      urls.push(String(url));
      return new Response('{"accepted":1,"duplicate":false}', {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const batch: Batch = { batchId: 'b1', workerId: 'w', campaigns: [{ campaignId: 'c1', events: [event('r1')] }] };
    const signal = new AbortController().signal;
    await createHttpTransport({ baseUrl: 'http://main.test/v1', fetch })(batch, { signal });
    await createHttpTransport({ baseUrl: 'http://main.test/v1', fetch, shape: 'legacy' })(batch, { signal });
    expect(urls).toEqual(['http://main.test/v1/api/updates', 'http://main.test/v1/api/campaigns/c1/events']);
  });

  it('forgets again a finished campaign brought back by a late event, and refuses updates to an unregistered one', async () => {
    const { scheduler, server } = setup({ minIntervalMs: SECOND });
    for (let i = 0; i < 20; i++) {
      scheduler.registerCampaign(`c${i}`, { emailsPerMinute: 10 });
      scheduler.record(`c${i}`, event(`c${i}-0`));
      scheduler.setStatus(`c${i}`, { state: 'completed', sent: 1, failed: 0, total: 1 });
    }
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(scheduler.stats().campaigns).toBe(0);
    for (let i = 0; i < 20; i++) scheduler.record(`c${i}`, event(`c${i}-late`, 'bounced'));
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(server.allApplied()).toHaveLength(40);
    expect(scheduler.stats().campaigns).toBe(0);

    scheduler.registerCampaign('gone', { emailsPerMinute: 10 });
    scheduler.record('gone', event('gone-1'));
    scheduler.unregisterCampaign('gone');
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(server.applied('gone')).toEqual(['gone-1']);
    expect(() => scheduler.record('gone', event('gone-2'))).toThrow(/Unknown campaign "gone"/);
  });
});
