import { describe, expect, it } from 'vitest';
import {
  bulkUpdateBody,
  bulkUpdateResponse,
  campaignStatus,
  check,
  isContractError,
  legacyEventsBody,
  parse,
  recipientPage,
} from './index.js';

const at = '2026-11-28T10:00:00.000Z';
const event = (i: number) => ({ recipientId: `r${i}`, outcome: 'sent', at });
const status = { state: 'running', sent: 1, failed: 0, total: 9, seq: 1, updatedAt: at };

describe('contract', () => {
  it('accepts valid bodies', () => {
    const body = { workerId: 'w', batchId: 'b', campaigns: [{ campaignId: 'c1', events: [event(1)], status }] };
    expect(parse(bulkUpdateBody, body, 'body')).toEqual(body);
    expect(check(legacyEventsBody, { events: [event(1)] }).ok).toBe(true);
    expect(
      check(bulkUpdateResponse, { accepted: 3, duplicate: false, control: [{ campaignId: 'c1', state: 'paused' }] }).ok,
    ).toBe(true);
    expect(check(recipientPage, { recipients: [{ id: 'r1', email: 'a@b.c' }], nextCursor: null }).ok).toBe(true);
  });

  it('takes an event id of printable ASCII and refuses one with spaces or over 200 characters', () => {
    expect(check(legacyEventsBody, { events: [{ ...event(1), eventId: 'w1:c1:7' }] }).ok).toBe(true);
    expect(check(legacyEventsBody, { events: [{ ...event(1), eventId: 'a b' }] }).ok).toBe(false);
    expect(check(legacyEventsBody, { events: [{ ...event(1), eventId: 'x'.repeat(201) }] }).ok).toBe(false);
  });

  it('takes an optional owner epoch (an integer >= 0) on a campaign of a bulk update', () => {
    const body = (ownerEpoch: unknown) => ({
      workerId: 'w',
      batchId: 'b',
      campaigns: [{ campaignId: 'c1', events: [event(1)], ownerEpoch }],
    });
    expect(check(bulkUpdateBody, body(0)).ok).toBe(true);
    expect(check(bulkUpdateBody, body(7)).ok).toBe(true);
    expect(
      check(bulkUpdateBody, { workerId: 'w', batchId: 'b', campaigns: [{ campaignId: 'c1', events: [] }] }).ok,
    ).toBe(true);
    for (const bad of [-1, 1.5, '3']) {
      const result = check(bulkUpdateBody, body(bad));
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.problems[0]).toMatch(/^campaigns\[0\]\.ownerEpoch: /);
    }
  });

  it('names the path and the value of each problem', () => {
    const events = Array.from({ length: 18 }, (_, i) => event(i));
    events[17] = { ...event(17), outcome: 'ok' };
    const body = {
      workerId: 'w',
      batchId: 'b',
      campaigns: [
        { campaignId: 'c0', events: [] },
        { campaignId: 'c1', events: [] },
        { campaignId: 'c2', events },
      ],
    };
    expect(check(bulkUpdateBody, body)).toEqual({
      ok: false,
      problems: ['campaigns[2].events[17].outcome: expected one of sent|failed|bounced|skipped, got "ok"'],
    });
  });

  it('reports every problem at once, in words a person can act on', () => {
    const result = check(campaignStatus, { state: 'done', sent: -1, total: '9', seq: 1, updatedAt: 'today', extra: 1 });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      'state: expected one of running|paused|completed|failed|cancelled, got "done"',
      'sent: expected >= 0, got -1',
      'failed: expected number, got nothing',
      'total: expected number, got "9"',
      'updatedAt: expected an ISO 8601 date-time, got "today"',
      '(root): unknown field extra',
    ]);
  });

  it('throws a ContractError naming what was checked', () => {
    try {
      parse(bulkUpdateBody, { workerId: 'w', batchId: 'b', campaigns: [] }, 'POST /api/updates body');
      expect.unreachable();
    } catch (error) {
      expect(isContractError(error)).toBe(true);
      expect((error as Error).message).toBe(
        'POST /api/updates body: campaigns: expected at least 1 item(s), got an array of 0',
      );
    }
  });
});
