import { describe, expect, it } from 'vitest';
import type { Batch, CampaignStatus, RecipientEvent } from '../types.js';
import { planPart, splitBatch } from './batch.js';
import type { CampaignView } from './due.js';

const at = '2026-11-28T10:00:00.000Z';
const events = (n: number): RecipientEvent[] =>
  Array.from({ length: n }, (_, i) => ({ recipientId: `r${i}`, outcome: 'sent', at }));
const status: CampaignStatus = { state: 'running', sent: 1, failed: 0, total: 2, seq: 1, updatedAt: at };

describe('splitBatch', () => {
  it('splits several campaigns into two halves', () => {
    const batch: Batch = {
      batchId: 'b',
      workerId: 'w',
      campaigns: ['a', 'b', 'c'].map((campaignId) => ({ campaignId, events: events(1) })),
    };
    const halves = splitBatch(batch);
    expect(halves?.map((h) => [h.batchId, h.campaigns.map((c) => c.campaignId)])).toEqual([
      ['b.1', ['a', 'b']],
      ['b.2', ['c']],
    ]);
  });

  it('splits one campaign’s events, the status going with the second half', () => {
    const batch: Batch = { batchId: 'b', workerId: 'w', campaigns: [{ campaignId: 'a', events: events(5), status }] };
    const halves = splitBatch(batch);
    expect(halves?.map((h) => [h.campaigns[0]?.events.length, h.campaigns[0]?.status?.seq])).toEqual([
      [3, undefined],
      [2, 1],
    ]);
  });

  it('cannot split a single update', () => {
    expect(
      splitBatch({ batchId: 'b', workerId: 'w', campaigns: [{ campaignId: 'a', events: events(1) }] }),
    ).toBeUndefined();
    expect(
      splitBatch({ batchId: 'b', workerId: 'w', campaigns: [{ campaignId: 'a', events: [], status }] }),
    ).toBeUndefined();
  });
});

describe('planPart', () => {
  const view = (fields: Partial<CampaignView>): CampaignView => ({
    campaignId: 'a',
    pendingEvents: 3,
    hasStatus: true,
    oldestAt: 0,
    urgent: false,
    blocked: false,
    intervalMs: 1,
    ...fields,
  });

  const rules = (owed: boolean, mayGo = true) => ({ owed, eventsFirst: mayGo ? 0 : 1 });

  it('bulk: events and status together', () => {
    expect(planPart(view({}), 'bulk', 100, rules(false))).toEqual({
      campaignId: 'a',
      maxEvents: 100,
      withStatus: true,
    });
  });

  it('bulk: a status that may not go yet (terminal, events before it still to come) stays behind', () => {
    const part = (eventsFirst: number) =>
      planPart(view({ pendingEvents: 150 }), 'bulk', 100, { owed: false, eventsFirst }).withStatus;
    expect(part(101)).toBe(false);
    expect(part(100)).toBe(true);
  });

  it('legacy: events first, the status when it is owed or alone', () => {
    expect(planPart(view({}), 'legacy', 100, rules(false))).toEqual({
      campaignId: 'a',
      maxEvents: 100,
      withStatus: false,
    });
    expect(planPart(view({}), 'legacy', 100, rules(true))).toEqual({ campaignId: 'a', maxEvents: 0, withStatus: true });
    expect(planPart(view({ pendingEvents: 0 }), 'legacy', 100, rules(false))).toEqual({
      campaignId: 'a',
      maxEvents: 0,
      withStatus: true,
    });
    expect(planPart(view({}), 'legacy', 100, rules(true, false))).toEqual({
      campaignId: 'a',
      maxEvents: 100,
      withStatus: false,
    });
  });
});
