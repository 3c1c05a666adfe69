import { describe, expect, it } from 'vitest';
import { intervalForRate, measuredRate } from './intervals.js';

describe('intervalForRate', () => {
  it.each([
    [0, 120_000],
    [20, 120_000],
    [20.5, 90_000],
    [21, 90_000],
    [60, 90_000],
    [61, 45_000],
    [120, 45_000],
    [121, 30_000],
    [10_000, 30_000],
  ])('%d emails/min → %d ms', (rate, interval) => {
    expect(intervalForRate(rate)).toBe(interval);
  });

  it('takes another table', () => {
    const table = [
      { maxEmailsPerMinute: 5, intervalMs: 1000 },
      { maxEmailsPerMinute: Number.POSITIVE_INFINITY, intervalMs: 10 },
    ];
    expect([intervalForRate(5, table), intervalForRate(6, table)]).toEqual([1000, 10]);
  });

  it('refuses a negative or missing rate', () => {
    expect(() => intervalForRate(-1)).toThrow('Expected `emailsPerMinute` to be a number >= 0, got `-1`');
    expect(() => intervalForRate(Number.NaN)).toThrow(RangeError);
  });
});

describe('measuredRate', () => {
  it('is events per minute since the first, counting a young campaign as one minute old', () => {
    expect(measuredRate(0, undefined, 0)).toBe(0);
    expect(measuredRate(30, 0, 10_000)).toBe(30);
    expect(measuredRate(300, 0, 120_000)).toBe(150);
  });
});
