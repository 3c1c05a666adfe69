import { describe, expect, it } from 'vitest';
import { decide, type RetryRules } from './retry.js';
import { verdictOf } from './verdict.js';

const rules: RetryRules = {
  maxAttempts: 4,
  maxInvalidAnswers: 2,
  backoffBaseMs: 1000,
  maxBackoffMs: 60_000,
  maxRetryAfterMs: 120_000,
};
const once = { attempt: 1, invalidAnswers: 0, campaigns: 1 };

describe('verdictOf and decide', () => {
  it('acknowledges a 2xx, and never one the transport says acknowledged nothing', () => {
    expect(decide(verdictOf({ status: 200 }, undefined), once, rules, 0.5)).toEqual({ kind: 'acknowledge' });
    const page = verdictOf({ status: 200, notAcknowledged: 'an HTML page' }, undefined);
    expect(decide(page, { ...once, invalidAnswers: 1 }, rules, 0.5)).toEqual({
      kind: 'retry',
      delayMs: 500,
      reason: 'HTTP 200 is not an acknowledgement: an HTML page',
    });
    expect(decide(page, { ...once, invalidAnswers: 2 }, rules, 0.5)).toMatchObject({
      kind: 'deadletter',
      reason: expect.stringContaining('gave up after 2 answers that were not acknowledgements'),
    });
    expect(decide(verdictOf({ status: 302 }, undefined), once, rules, 0)).toMatchObject({ kind: 'retry' });
  });

  it('retries 409 as still processing, and dead-letters 422 without splitting it', () => {
    expect(decide(verdictOf({ status: 409 }, undefined), { ...once, campaigns: 3 }, rules, 0)).toMatchObject({
      kind: 'retry',
    });
    expect(decide(verdictOf({ status: 422 }, undefined), { ...once, campaigns: 3 }, rules, 0)).toMatchObject({
      kind: 'deadletter',
      reason: expect.stringContaining('Idempotency-Key'),
    });
  });

  it('splits a 413, narrows a 400 of several campaigns, dead-letters one of a single campaign', () => {
    expect(decide(verdictOf({ status: 413 }, undefined), once, rules, 0).kind).toBe('split');
    expect(decide(verdictOf({ status: 400 }, undefined), { ...once, campaigns: 2 }, rules, 0).kind).toBe('split');
    expect(decide(verdictOf({ status: 400 }, undefined), once, rules, 0).kind).toBe('deadletter');
  });

  it('waits the backoff or the Retry-After if longer, capped by maxRetryAfterMs, and gives up at maxAttempts', () => {
    const busy = (retryAfterMs: number) => verdictOf({ status: 503, retryAfterMs }, undefined);
    expect(decide(busy(5000), once, rules, 0.5)).toMatchObject({ kind: 'retry', delayMs: 5000 });
    expect(decide(busy(10), { ...once, attempt: 3 }, rules, 0.5)).toMatchObject({ kind: 'retry', delayMs: 2000 });
    expect(decide(busy(999_999_999_000), once, rules, 0)).toMatchObject({ kind: 'retry', delayMs: 120_000 });
    expect(decide(busy(0), { ...once, attempt: 4 }, rules, 0)).toMatchObject({
      kind: 'deadletter',
      reason: 'gave up after 4 attempts; last: HTTP 503',
    });
  });

  it('reads a network failure as a retry and an encoding failure as nothing sent', async () => {
    const { BatchEncodingError } = await import('../errors/BatchEncodingError.js');
    expect(decide(verdictOf(undefined, new Error('ECONNRESET')), once, rules, 0)).toMatchObject({
      kind: 'retry',
      reason: 'network error: ECONNRESET',
    });
    expect(
      decide(verdictOf(undefined, new BatchEncodingError(['c1'], new TypeError('cycle'))), once, rules, 0),
    ).toEqual({
      kind: 'unencodable',
      campaignIds: ['c1'],
      reason: 'not sent: Cannot encode the updates of campaign "c1": cycle',
    });
  });
});
