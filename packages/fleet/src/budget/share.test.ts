import { describe, expect, it } from 'vitest';
import { fallbackWait, localShare } from './share.js';

describe('localShare', () => {
  it('is ⌊budget / members last seen⌋, counting this member', () => {
    expect(localShare(10, ['a', 'b', 'c'], 'b')).toBe(3);
    expect(localShare(10, ['a', 'b'], 'c')).toBe(3);
    expect(localShare(8, ['a'], 'a')).toBe(8);
  });

  it('with more members than requests, gives 1 to the first `budget` members by id and 0 to the others', () => {
    const members = ['w3', 'w1', 'w2', 'w4', 'w0'];
    const shares = members.map((self) => localShare(2, members, self));
    expect(shares).toEqual([0, 1, 0, 0, 1]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('never sums above the budget over the members, whatever their number', () => {
    for (let budget = 1; budget <= 20; budget++) {
      for (let n = 1; n <= 40; n++) {
        const members = Array.from({ length: n }, (_, i) => `m${i}`);
        const total = members.reduce((sum, self) => sum + localShare(budget, members, self), 0);
        expect(total).toBeLessThanOrEqual(budget);
      }
    }
  });

  it('is 0 for a member that never saw the members (it never reached Redis)', () => {
    expect(localShare(10, undefined, 'a')).toBe(0);
  });
});

describe('fallbackWait', () => {
  it('waits one window from when Redis was found down, and through a pause', () => {
    expect(fallbackWait({ now: 100, downSince: 0, windowMs: 1_000, pausedUntil: 0 })).toBe(900);
    expect(fallbackWait({ now: 1_000, downSince: 0, windowMs: 1_000, pausedUntil: 0 })).toBe(0);
    expect(fallbackWait({ now: 1_000, downSince: 0, windowMs: 1_000, pausedUntil: 1_500 })).toBe(500);
  });
});
