import { describe, expect, it } from 'vitest';
import { nextRequestAt, nextSendAt, nextWakeAt } from './spacing.js';

const rules = { minIntervalMs: 15_000, maxConcurrent: 2 };
const idle = { inFlight: 0, lastStartAt: Number.NEGATIVE_INFINITY, retryAfterUntil: Number.NEGATIVE_INFINITY };

describe('nextRequestAt', () => {
  it('spaces starts by minIntervalMs, waits out Retry-After and the breaker, and not at all when at maxConcurrent', () => {
    expect(nextRequestAt({ ...idle, breakerAt: 0 }, 0, rules)).toBe(0);
    expect(nextRequestAt({ ...idle, lastStartAt: 1000, breakerAt: 2000 }, 2000, rules)).toBe(16_000);
    expect(nextRequestAt({ ...idle, retryAfterUntil: 90_000, breakerAt: 0 }, 0, rules)).toBe(90_000);
    expect(nextRequestAt({ ...idle, breakerAt: 30_000 }, 0, rules)).toBe(30_000);
    expect(nextRequestAt({ ...idle, inFlight: 2, breakerAt: 0 }, 0, rules)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('nextSendAt and nextWakeAt', () => {
  it('sends when something wants to go and a request may start; otherwise sleeps, never spinning', () => {
    expect(nextSendAt(Number.POSITIVE_INFINITY, () => 0, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(nextSendAt(100, () => 500, 0)).toBe(500);
    expect(nextWakeAt(500, 200, 0)).toBe(500);
    expect(nextWakeAt(0, Number.POSITIVE_INFINITY, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(nextWakeAt(0, 0, 10)).toBe(11);
  });
});
