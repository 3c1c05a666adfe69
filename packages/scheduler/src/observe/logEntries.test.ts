import { describe, expect, it } from 'vitest';
import type { Batch } from '../types.js';
import { logEntryOf } from './logEntries.js';

const batch: Batch = { batchId: 'b1', workerId: 'w1', campaigns: [{ campaignId: 'c1', events: [] }] };
const answer = { batch, attempt: 1, latencyMs: 12, retryAfterMs: undefined };

describe('logEntryOf', () => {
  it('keeps an acknowledged answer at debug', () => {
    expect(logEntryOf('response', { ...answer, status: 200, error: undefined })).toEqual({
      level: 'debug',
      message: 'request answered',
      fields: { batchId: 'b1', attempt: 1, status: 200, latencyMs: 12 },
    });
  });

  it.each([
    ['a 2xx that acknowledged nothing', 200, 'not the contract answer', 'not the contract answer'],
    ['a refusal', 400, undefined, 'HTTP 400'],
    ['no answer', undefined, 'TimeoutError: no answer within 30000 ms', 'TimeoutError: no answer within 30000 ms'],
  ])('warns of %s, with its reason', (_what, status, error, reason) => {
    expect(logEntryOf('response', { ...answer, status, error })).toMatchObject({
      level: 'warn',
      message: 'request failed',
      fields: { reason },
    });
  });

  it('logs a dead letter by its count of events, not the events', () => {
    const events = [{ recipientId: 'r1', outcome: 'sent' as const, at: '2026-01-01T00:00:00.000Z' }];
    const letter = { batchId: 'b1', campaignId: 'c1', events, status: undefined, reason: 'HTTP 400', httpStatus: 400 };
    expect(logEntryOf('deadletter', letter).fields).toEqual({
      batchId: 'b1',
      campaignId: 'c1',
      events: 1,
      statusSeq: undefined,
      reason: 'HTTP 400',
      httpStatus: 400,
    });
  });
});
