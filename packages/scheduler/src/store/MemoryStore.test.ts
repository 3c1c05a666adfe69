import { describe, expect, it, vi } from 'vitest';
import type { CampaignStatus, RecipientEvent } from '../types.js';
import { MemoryStore } from './MemoryStore.js';

const at = '2026-11-28T10:00:00.000Z';
const ev = (i: number): RecipientEvent => ({ recipientId: `r${i}`, outcome: 'sent', at });
const status = (seq: number): CampaignStatus => ({
  state: 'running',
  sent: seq,
  failed: 0,
  total: 9,
  seq,
  updatedAt: at,
});

describe('MemoryStore', () => {
  it('keeps events in order per campaign and takes them oldest first', () => {
    const store = new MemoryStore();
    for (let i = 0; i < 5; i++) store.appendEvent('a', ev(i), () => 0);
    store.appendEvent('b', ev(99), () => 0);
    expect(store.size).toBe(6);
    expect(store.take('a', 3, false).events.map((e) => e.recipientId)).toEqual(['r0', 'r1', 'r2']);
    expect(store.pendingEvents('a')).toBe(2);
    expect(store.take('a', 10, false).events.map((e) => e.recipientId)).toEqual(['r3', 'r4']);
    expect(store.size).toBe(1);
    expect(store.take('nobody', 10, true)).toEqual({ events: [], status: undefined });
  });

  it('reads the clock once per run of 16 events, and dates a run by its first event', () => {
    const store = new MemoryStore();
    const now = vi.fn();
    let time = 0;
    now.mockImplementation(() => time);
    for (let i = 0; i < 40; i++) {
      time = i * 1000;
      expect(store.appendEvent('a', ev(i), now)).toBe(i + 1);
    }
    expect(now).toHaveBeenCalledTimes(3);
    expect(store.oldestPendingAt('a')).toBe(0);
    store.take('a', 20, false);
    // Event 20 belongs to the run that began with event 16: never later than the truth.
    expect(store.oldestPendingAt('a')).toBe(16_000);
  });

  it('keeps only the newest status, dated by the first one not yet taken', () => {
    const store = new MemoryStore();
    store.putStatus('a', status(1), 100);
    store.putStatus('a', status(2), 200);
    expect(store.pendingStatus('a')?.seq).toBe(2);
    expect(store.oldestPendingAt('a')).toBe(100);
    expect(store.take('a', 0, true).status?.seq).toBe(2);
    expect(store.oldestPendingAt('a')).toBeUndefined();
  });

  it('compacts a long-lived queue without losing order or run times', () => {
    const store = new MemoryStore();
    const appended: string[] = [];
    let time = 0;
    const append = (i: number) => {
      appended.push(`r${i}`);
      store.appendEvent('a', ev(i), () => time++);
    };
    for (let i = 0; i < 20_000; i++) append(i);
    const taken: string[] = [];
    let next = 20_000;
    while (store.pendingEvents('a') > 0) {
      const oldest = store.oldestPendingAt('a') as number;
      taken.push(...store.take('a', 999, false).events.map((e) => e.recipientId));
      expect(store.oldestPendingAt('a') ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(oldest);
      for (let i = 0; i < 10 && next < 30_000; i++) append(next++);
    }
    expect(taken).toEqual(appended);
    expect(store.size).toBe(0);
  });

  it('peeks at what a campaign has pending in one call, as the three questions would answer', () => {
    const store = new MemoryStore();
    expect(store.peek('a')).toEqual({ pendingEvents: 0, status: undefined, oldestAt: undefined });
    store.putStatus('a', status(1), 50);
    store.appendEvent('a', ev(1), () => 70);
    store.appendEvent('a', ev(2), () => 90);
    expect(store.peek('a')).toEqual({
      pendingEvents: store.pendingEvents('a'),
      status: store.pendingStatus('a'),
      oldestAt: store.oldestPendingAt('a'),
    });
    expect(store.peek('a')).toMatchObject({ pendingEvents: 2, oldestAt: 50 });
  });

  it('forgets a campaign', () => {
    const store = new MemoryStore();
    store.appendEvent('a', ev(1), () => 0);
    store.forget('a');
    expect(store.size).toBe(0);
    expect(store.pendingEvents('a')).toBe(0);
  });
});
