import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Batch,
  type CampaignStatus,
  type PendingStore,
  type RecipientEvent,
  type SealedBatch,
  ServerUpdateScheduler,
} from '../src/index.js';
import { createFakeServer, sequentialIds } from './fake-server.js';

/**
 * How a store under test is made. `reopen` stands for a restart: for a durable store it closes the file and opens
 * it again; for the memory store it hands the same instance on (it survives nothing beyond that).
 */
export interface StoreUnderTest {
  readonly open: () => PendingStore;
  readonly reopen: (store: PendingStore) => PendingStore;
  /** Whether what was taken and not sealed is still there after `reopen` (true for a file). */
  readonly durable: boolean;
  readonly dispose?: (store: PendingStore) => void;
}

const at = '2026-11-28T10:00:00.000Z';
const ev = (i: number): RecipientEvent => ({ eventId: `e${i}`, recipientId: `r${i}`, outcome: 'sent', at });
const status = (seq: number, state: CampaignStatus['state'] = 'running'): CampaignStatus => ({
  state,
  sent: seq,
  failed: 0,
  total: 9,
  seq,
  updatedAt: at,
});

/** Takes a batch's worth out of `store` and seals it, as the scheduler does before a first request. */
function sealOne(store: PendingStore, batchId: string, parts: [string, number, boolean][], notBefore = 1000) {
  const campaigns = parts.map(([campaignId, max, withStatus]) => {
    const { events, status: taken } = store.take(campaignId, max, withStatus);
    return taken === undefined ? { campaignId, events } : { campaignId, events, status: taken };
  });
  const batch: Batch = { batchId, workerId: 'w1', campaigns };
  const sealed: SealedBatch = { batch, attempt: 0, invalidAnswers: 0, notBefore };
  store.seal?.(sealed);
  return sealed;
}

/** The behaviour every {@link PendingStore} shares; run it against each. */
export function describeStoreContract(name: string, subject: StoreUnderTest): void {
  const use = (test: (store: PendingStore) => PendingStore | undefined) => () => {
    const first = subject.open();
    const last = test(first) ?? first;
    subject.dispose?.(last);
  };

  describe(`${name}: the PendingStore contract`, () => {
    it(
      'keeps events in order per campaign and takes them oldest first',
      use((store) => {
        for (let i = 0; i < 5; i++) store.appendEvent('a', ev(i), () => 0);
        expect(store.appendEvent('b', ev(99), () => 0)).toBe(1);
        expect(store.size).toBe(6);
        expect(store.take('a', 3, false).events.map((e) => e.recipientId)).toEqual(['r0', 'r1', 'r2']);
        expect(store.pendingEvents('a')).toBe(2);
        expect(store.take('a', 10, false).events).toEqual([ev(3), ev(4)]);
        expect(store.size).toBe(1);
        expect(store.take('nobody', 10, true)).toEqual({ events: [], status: undefined });
        return undefined;
      }),
    );

    it(
      'keeps only the newest status, dated by the first one not yet taken; peek answers as the three questions',
      use((store) => {
        store.putStatus('a', status(1), 100);
        store.putStatus('a', status(2), 200);
        store.appendEvent('a', ev(1), () => 300);
        expect(store.pendingStatus('a')?.seq).toBe(2);
        expect(store.oldestPendingAt('a')).toBe(100);
        expect(store.peek('a')).toEqual({ pendingEvents: 1, status: status(2), oldestAt: 100 });
        expect(store.take('a', 0, true).status?.seq).toBe(2);
        expect(store.oldestPendingAt('a')).toBe(300);
        return undefined;
      }),
    );

    it(
      "a campaign's queue, when the store offers one, answers as peek and take by id, and counts in the size",
      use((store) => {
        if (store.queue === undefined) return undefined;
        const queue = store.queue('a');
        expect(queue.peek()).toEqual({ pendingEvents: 0, status: undefined, oldestAt: undefined });
        for (let i = 0; i < 3; i++) store.appendEvent('a', ev(i), () => 50);
        store.appendEvent('b', ev(9), () => 60);
        store.putStatus('a', status(1), 70);
        expect(queue.peek()).toEqual(store.peek('a'));
        expect(queue.take(2, false).events).toEqual([ev(0), ev(1)]);
        expect(store.size).toBe(2);
        expect(store.peek('a')).toEqual({ pendingEvents: 1, status: status(1), oldestAt: 50 });
        expect(queue.take(10, true)).toEqual({ events: [ev(2)], status: status(1) });
        expect(store.peek('a')).toEqual(queue.peek());
        expect(store.pendingStatus('a')).toBeUndefined();
        expect(store.size).toBe(1);
        return undefined;
      }),
    );

    it(
      'gives back, after a restart, the sealed batches in order, and what was pending',
      use((first) => {
        for (let i = 0; i < 4; i++) first.appendEvent('a', ev(i), () => 10);
        first.appendEvent('b', ev(10), () => 20);
        first.putStatus('a', status(3), 30);
        const one = sealOne(first, 'b1', [['a', 2, false]]);
        const two = sealOne(first, 'b2', [['b', 10, false]], 2000);
        first.reschedule?.('b1', 1, 0, 5000);
        const store = subject.reopen(first);
        const recovered = store.recover?.();
        expect(recovered?.batches).toEqual([{ ...one, attempt: 1, notBefore: 5000 }, two]);
        expect(store.take('a', 10, true)).toEqual({ events: [ev(2), ev(3)], status: status(3) });
        expect(store.pendingEvents('b')).toBe(0);
        return store;
      }),
    );

    it(
      'says for each campaign its last seq and whether it finished, also for one known only from a sealed batch',
      use((first) => {
        first.putStatus('a', status(4, 'completed'), 10);
        first.appendEvent('b', ev(1), () => 10);
        first.putStatus('c', status(7), 10);
        sealOne(first, 'b1', [['c', 10, true]]);
        first.forget('c');
        const store = subject.reopen(first);
        const campaigns = [...(store.recover?.().campaigns ?? [])].sort((x, y) =>
          x.campaignId.localeCompare(y.campaignId),
        );
        expect(campaigns).toEqual([
          { campaignId: 'a', lastSeq: 4, finished: true },
          { campaignId: 'b', lastSeq: 0, finished: false },
          { campaignId: 'c', lastSeq: 7, finished: false },
        ]);
        return store;
      }),
    );

    it(
      'puts the parts of a split where their parent was, and forgets a settled batch',
      use((first) => {
        for (let i = 0; i < 4; i++) first.appendEvent('a', ev(i), () => 10);
        first.appendEvent('b', ev(9), () => 10);
        const parent = sealOne(first, 'p', [['a', 4, false]]);
        const later = sealOne(first, 'q', [['b', 4, false]]);
        const part = (n: 1 | 2, events: RecipientEvent[]): SealedBatch => ({
          ...parent,
          batch: { ...parent.batch, batchId: `p.${n}`, campaigns: [{ campaignId: 'a', events }] },
        });
        first.replace?.('p', [part(1, [ev(0), ev(1)]), part(2, [ev(2), ev(3)])]);
        first.settle?.('p.1');
        const store = subject.reopen(first);
        expect(store.recover?.().batches.map((sealed) => sealed.batch.batchId)).toEqual(['p.2', 'q']);
        expect(store.recover?.().batches[1]).toEqual(later);
        return store;
      }),
    );

    it(
      'keeps until when the server asked for quiet',
      use((first) => {
        first.quiet?.(50_000);
        first.quiet?.(40_000);
        const store = subject.reopen(first);
        expect(store.recover?.().quietUntil).toBe(50_000);
        return store;
      }),
    );

    it(
      subject.durable
        ? 'keeps what was taken and not sealed: after a restart it is pending again'
        : 'forgets what was taken and not sealed (it lives only in the caller)',
      use((first) => {
        for (let i = 0; i < 3; i++) first.appendEvent('a', ev(i), () => 10);
        first.take('a', 2, false);
        const store = subject.reopen(first);
        expect(store.pendingEvents('a')).toBe(subject.durable ? 3 : 1);
        return store;
      }),
    );

    it(
      'forgets a campaign',
      use((store) => {
        store.appendEvent('a', ev(1), () => 0);
        store.take('a', 1, false);
        store.forget('a');
        expect(store.size).toBe(0);
        expect(store.peek('a')).toEqual({ pendingEvents: 0, status: undefined, oldestAt: undefined });
        return undefined;
      }),
    );
  });
}

/** A scheduler made on a store its predecessor left (dropped without `close()`): it goes on where that one stopped. */
export function describeSchedulerRestart(name: string, subject: StoreUnderTest): void {
  const T0 = Date.parse('2026-11-28T10:00:00Z');

  describe(`${name}: a scheduler restarted on the store`, () => {
    beforeEach(() => void vi.useFakeTimers({ now: T0 }));
    afterEach(() => void vi.useRealTimers());

    it('re-sends the batch of unknown fate under its id, then what was pending, each applied once', async () => {
      // The first request is applied and never answered; the process dies while it waits.
      const server = createFakeServer({
        behave: (_batch, index) => (index === 0 ? { kind: 'apply-then-hang' } : { kind: 'answer', status: 200 }),
      });
      const make = (store: PendingStore, prefix: string) =>
        new ServerUpdateScheduler({
          transport: server.transport,
          store,
          workerId: 'w1',
          createBatchId: sequentialIds(prefix),
          random: () => 0.5,
          requestTimeoutMs: 3_600_000,
        });
      const first = subject.open();
      const before = make(first, 'a');
      before.registerCampaign('c1', { emailsPerMinute: 300 });
      for (let i = 0; i < 3; i++) before.record('c1', { recipientId: `r${i}`, outcome: 'sent', at: T0 });
      before.setStatus('c1', { state: 'running', sent: 3, failed: 0, total: 6 });
      await vi.advanceTimersByTimeAsync(30_000);
      expect(server.log.map((request) => [request.batchId, request.outcome])).toEqual([['a1', 'applied, then hang']]);
      for (let i = 3; i < 6; i++) before.record('c1', { recipientId: `r${i}`, outcome: 'sent', at: T0 });
      before.setStatus('c1', { state: 'completed', sent: 6, failed: 0, total: 6 });

      const store = subject.reopen(first);
      const after = make(store, 'b');
      after.registerCampaign('c1', { emailsPerMinute: 300 });
      await vi.advanceTimersByTimeAsync(120_000);
      await after.flush();
      expect(server.log.map((request) => request.batchId)).toEqual(['a1', 'a1', 'b1']);
      expect(server.applied('c1')).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
      expect(server.statuses.get('c1')?.map((s) => [s.state, s.seq])).toEqual([
        ['running', 1],
        ['completed', 2],
      ]);
      expect([server.staleStatuses, server.duplicateEvents]).toEqual([0, 0]);
      // Statuses go on rising from the last seq the store kept.
      after.setStatus('c1', { state: 'completed', sent: 6, failed: 0, total: 6 });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(server.statuses.get('c1')?.at(-1)?.seq).toBe(3);
      await after.close();
      subject.dispose?.(store);
    });
  });
}
