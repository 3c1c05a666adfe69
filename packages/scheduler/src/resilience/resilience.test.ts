import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { CircuitBreaker } from './breaker.js';
import { ServerHealth } from './health.js';

describe('backoffDelay', () => {
  it('is full jitter over base × 2^(attempt-1), capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, 5000, () => 0.999_999))).toEqual([999, 1999, 3999, 4999]);
    expect(backoffDelay(3, 1000, 5000, () => 0)).toBe(0);
    expect(backoffDelay(1000, 1000, 600_000, () => 0.5)).toBe(300_000);
  });
});

describe('CircuitBreaker', () => {
  const options = { threshold: 3, failureRatio: 0.5, window: 10, minSamples: 6, cooldownMs: 100, maxCooldownMs: 350 };

  it('opens after consecutive failures and lets one probe through after the cool-down', () => {
    const breaker = new CircuitBreaker(options);
    expect(breaker.onFailure(0, false)).toBeUndefined();
    expect(breaker.onFailure(0, false)).toBeUndefined();
    expect(breaker.onFailure(0, false)).toBe('open');
    expect(breaker.nextRequestAt(50)).toBe(100);
    expect(breaker.state(100)).toBe('half-open');
    breaker.onRequest(100);
    expect(breaker.nextRequestAt(100)).toBe(Number.POSITIVE_INFINITY);
  });

  it('doubles the cool-down while probes fail, up to the cap, and resets it when one succeeds', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.onFailure(0, false);
    const cooldowns: number[] = [];
    let now = 0;
    for (let i = 0; i < 4; i++) {
      now = breaker.nextRequestAt(now);
      breaker.onRequest(now);
      breaker.onFailure(now, true);
      cooldowns.push(breaker.cooldownMs);
    }
    expect(cooldowns).toEqual([200, 350, 350, 350]);
    now = breaker.nextRequestAt(now);
    breaker.onRequest(now);
    expect(breaker.onSuccess(now, true)).toBe('closed');
    expect(breaker.cooldownMs).toBe(100);
  });

  it('opens on a high failure ratio even without a run of failures', () => {
    const breaker = new CircuitBreaker({ ...options, threshold: 100 });
    const transitions = [true, false, true, false, true, false].map((ok) =>
      ok ? breaker.onSuccess(0, false) : breaker.onFailure(0, false),
    );
    expect(transitions.at(-1)).toBe('open');
  });
});

describe('ServerHealth', () => {
  const options = { slowResponseMs: 1000, stretchFactor: 2, relaxFactor: 2, maxStretch: 8 };

  it('stretches for slow answers and throttling, bounded, and relaxes on healthy ones', () => {
    const health = new ServerHealth(options);
    health.onAnswer(5000, 'ok');
    expect(health.stretch).toBe(2);
    for (let i = 0; i < 5; i++) health.onAnswer(10, 'throttled');
    expect(health.stretch).toBe(8);
    health.onAnswer(10, 'failed');
    expect(health.stretch).toBe(8);
    for (let i = 0; i < 10; i++) health.onAnswer(10, 'ok');
    expect(health.stretch).toBe(1);
    expect(health.errorRate).toBeLessThan(0.1);
  });
});
