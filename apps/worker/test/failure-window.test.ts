import { describe, expect, it } from 'vitest';
import { failingTooMuch, recentSends } from '../src/failure-window.js';

const limit = { maxFailureRate: 0.5, failureWindow: 10 };
const sendsOf = (outcomes: boolean[]) =>
  outcomes.reduce<boolean[]>((recent, failed) => recentSends(recent, failed, limit), []);

describe('failingTooMuch', () => {
  it('judges only a full window', () => {
    expect(failingTooMuch(sendsOf(Array(9).fill(true)), limit)).toBe(false);
    expect(failingTooMuch(sendsOf(Array(10).fill(true)), limit)).toBe(true);
  });

  it('pauses above the share, not at it', () => {
    expect(failingTooMuch(sendsOf([...Array(5).fill(true), ...Array(5).fill(false)]), limit)).toBe(false);
    expect(failingTooMuch(sendsOf([...Array(6).fill(true), ...Array(4).fill(false)]), limit)).toBe(true);
  });

  it('looks at the most recent sends only', () => {
    const recovered = sendsOf([...Array(20).fill(true), ...Array(5).fill(false)]);
    expect(recovered).toHaveLength(10);
    expect(failingTooMuch(recovered, limit)).toBe(false);
  });

  it('never pauses at a share of 1', () => {
    expect(failingTooMuch(sendsOf(Array(10).fill(true)), { ...limit, maxFailureRate: 1 })).toBe(false);
  });
});
