import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DueEntry, DueIndex, type DueQuery } from './DueIndex.js';

const query = (fields: Partial<DueQuery> = {}): DueQuery => ({
  stretch: 1,
  pressed: false,
  limit: 3,
  rideAlongRatio: 0.5,
  ...fields,
});
const entry = (oldestAt: number, intervalMs = 100, urgent = false): DueEntry => ({ oldestAt, intervalMs, urgent });

describe('DueIndex', () => {
  it('is due never when empty, now when a campaign is urgent, else at the earliest oldest + interval × stretch', () => {
    const index = new DueIndex();
    expect(index.nextDueAt(1, false)).toBe(Number.POSITIVE_INFINITY);
    index.set('a', entry(50, 100));
    index.set('b', entry(0, 200));
    expect(index.nextDueAt(1, false)).toBe(150);
    expect(index.nextDueAt(2, false)).toBe(250);
    expect(index.nextDueAt(1, true)).toBe(Number.NEGATIVE_INFINITY);
    index.set('c', entry(60, 100, true));
    expect(index.nextDueAt(8, false)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('hands out the payload given, counts what is indexed, and indexes again a campaign taken or deleted', () => {
    const index = new DueIndex<{ id: string }>();
    const a = { id: 'a' };
    const b = { id: 'b' };
    index.set('a', entry(0), a);
    index.set('b', entry(10, 100, true), b);
    expect(index.size).toBe(2);
    expect(index.take(200, query())).toEqual([b, a]);
    expect(index.size).toBe(0);
    expect(index.take(200, query())).toEqual([]);
    // The same entry as before it was taken: indexed again, not taken for one that is still there.
    index.set('a', entry(0), a);
    expect(index.size).toBe(1);
    index.delete('a');
    index.delete('a');
    expect(index.size).toBe(0);
    index.set('a', entry(0), a);
    index.forget('a');
    expect(index.size).toBe(0);
    expect(index.take(200, query())).toEqual([]);
    index.set('a', entry(5), a);
    expect(index.take(200, query())).toEqual([a]);
  });

  it('takes the urgent first, then the due most overdue first, then riders; nothing when none is due', () => {
    const build = (urgent: boolean) => {
      const index = new DueIndex();
      index.set('rider', entry(60, 100));
      index.set('late', entry(0, 100));
      index.set('later', entry(10, 50));
      index.set('young', entry(95, 100));
      if (urgent) index.set('now', entry(99, 100, true));
      return index;
    };
    expect(build(false).take(60, query({ limit: 10 }))).toEqual(['later', 'late']);
    expect(build(false).take(110, query({ limit: 10 }))).toEqual(['later', 'late', 'rider']);
    expect(build(false).take(40, query({ limit: 10 }))).toEqual([]);
    expect(build(true).take(40, query({ limit: 2 }))).toEqual(['now', 'later']);
    expect(build(true).take(110, query({ limit: 2 }))).toEqual(['now', 'later']);
    const index = build(false);
    index.take(110, query({ limit: 10 }));
    expect(index.size).toBe(1);
    expect(index.take(200, query({ limit: 10 }))).toEqual(['young']);
  });

  it('puts back what it looked at when nothing is due', () => {
    const index = new DueIndex();
    index.set('a', entry(50, 100));
    expect(index.take(60, query())).toEqual([]);
    expect(index.take(150, query())).toEqual(['a']);
  });

  it('takes campaigns of equal age in the order they were indexed', () => {
    const index = new DueIndex();
    for (const id of ['a', 'b', 'c']) index.set(id, entry(0));
    expect(index.take(100, query({ limit: 1 }))).toEqual(['a']);
    expect(index.take(100, query({ limit: 1 }))).toEqual(['b']);
  });

  it('replaces an entry when a campaign is indexed again, and forgets a deleted one', () => {
    const index = new DueIndex();
    index.set('a', entry(0));
    index.set('a', entry(500));
    expect(index.nextDueAt(1, false)).toBe(600);
    index.set('a', entry(500, 100, true));
    index.set('a', entry(500));
    expect(index.nextDueAt(1, false)).toBe(600);
    index.delete('a');
    expect(index.size).toBe(0);
    expect(index.take(10_000, query())).toEqual([]);
  });

  it('under pressure, chooses every campaign with updates, oldest first', () => {
    const index = new DueIndex();
    index.set('b', entry(20, 1000));
    index.set('a', entry(10, 5000));
    expect(index.take(30, query({ pressed: true }))).toEqual(['a', 'b']);
  });

  it('stays small however often campaigns are indexed again', () => {
    const index = new DueIndex();
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 1000; i++) index.set(`c${i}`, entry(round * 10 + i, 100 * (1 + (i % 4))));
    }
    expect(index.size).toBe(1000);
    expect(index.nextDueAt(1, false)).toBe(490 + 100);
  });

  it('agrees with a scan of every campaign (property)', () => {
    const entries = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 3 }),
      fc.record({
        oldestAt: fc.integer({ min: 0, max: 1000 }),
        intervalMs: fc.constantFrom(100, 250, 400),
        urgent: fc.boolean(),
      }),
    );
    const queries = fc.record({
      stretch: fc.constantFrom(1, 1.5, 8),
      pressed: fc.boolean(),
      limit: fc.integer({ min: 1, max: 6 }),
      rideAlongRatio: fc.constantFrom(0, 0.5, 1),
    });
    fc.assert(
      fc.property(entries, queries, fc.integer({ min: 0, max: 4000 }), (all, q, now) => {
        const index = new DueIndex();
        for (const [id, e] of Object.entries(all)) index.set(id, e);
        const dueAt = (e: DueEntry) =>
          e.urgent || q.pressed ? Number.NEGATIVE_INFINITY : e.oldestAt + e.intervalMs * q.stretch;
        const urgentFirst = Object.keys(all).filter((id) => all[id]?.urgent);
        const values = Object.values(all);
        expect(index.nextDueAt(q.stretch, q.pressed)).toBe(Math.min(Number.POSITIVE_INFINITY, ...values.map(dueAt)));
        const chosen = index.take(now, q);
        expect(index.size).toBe(Object.keys(all).length - chosen.length);
        expect(chosen.slice(0, urgentFirst.length)).toEqual(urgentFirst.slice(0, q.limit));
        expect(new Set(chosen).size).toBe(chosen.length);
        const isDue = (id: string) => dueAt(all[id] as DueEntry) <= now;
        const rides = (id: string) => {
          const e = all[id] as DueEntry;
          return e.oldestAt + e.intervalMs * q.stretch * q.rideAlongRatio <= now;
        };
        const ids = Object.keys(all);
        if (!ids.some(isDue)) {
          expect(chosen).toEqual([]);
          return;
        }
        expect(chosen.length).toBe(Math.min(q.limit, ids.filter((id) => isDue(id) || rides(id)).length));
        for (const id of chosen) expect(isDue(id) || rides(id)).toBe(true);
        // The due go before riders, and no campaign left out is more overdue than one chosen.
        const chosenDue = chosen.filter(isDue);
        expect(chosen.slice(0, chosenDue.length)).toEqual(chosenDue);
        const latestChosen = Math.max(...chosenDue.map((id) => dueAt(all[id] as DueEntry)));
        for (const id of ids.filter((id) => isDue(id) && !chosen.includes(id))) {
          expect(dueAt(all[id] as DueEntry)).toBeGreaterThanOrEqual(latestChosen);
        }
      }),
      { numRuns: 300 },
    );
  });
});
