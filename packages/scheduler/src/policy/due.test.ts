import { describe, expect, it } from 'vitest';
import { type CampaignView, dueAt, nextDueAt, selectCampaigns } from './due.js';

const view = (campaignId: string, fields: Partial<CampaignView> = {}): CampaignView => ({
  campaignId,
  pendingEvents: 1,
  hasStatus: false,
  oldestAt: 0,
  urgent: false,
  blocked: false,
  intervalMs: 100,
  ...fields,
});
const options = { shape: 'bulk' as const, maxBatchEvents: 10, maxBatchCampaigns: 3, rideAlongRatio: 0.5 };

describe('dueAt', () => {
  it('is never with nothing pending, now when urgent or full, else oldest + interval', () => {
    expect(dueAt(view('a', { oldestAt: undefined, pendingEvents: 0 }), 10)).toBe(Number.POSITIVE_INFINITY);
    expect(dueAt(view('a', { urgent: true, oldestAt: 50 }), 10)).toBe(Number.NEGATIVE_INFINITY);
    expect(dueAt(view('a', { pendingEvents: 10, oldestAt: 50 }), 10)).toBe(Number.NEGATIVE_INFINITY);
    expect(dueAt(view('a', { oldestAt: 50 }), 10)).toBe(150);
  });
});

describe('nextDueAt', () => {
  it('ignores blocked campaigns', () => {
    expect(nextDueAt([view('a', { oldestAt: 0, blocked: true }), view('b', { oldestAt: 30 })], 10)).toBe(130);
    expect(nextDueAt([], 10)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('selectCampaigns', () => {
  it('takes nothing when nothing is due', () => {
    expect(selectCampaigns([view('a', { oldestAt: 10 })], 100, options)).toEqual([]);
  });

  it('takes the due campaigns, most overdue first, then riders past the ride-along ratio', () => {
    const views = [
      view('rider', { oldestAt: 40 }), // waited 60 of 100: rides along
      view('late', { oldestAt: 0 }),
      view('young', { oldestAt: 80 }), // waited 20 of 100: stays
      view('urgent', { oldestAt: 95, urgent: true }),
      view('blocked', { oldestAt: 0, blocked: true }),
    ];
    expect(selectCampaigns(views, 100, options).map((v) => v.campaignId)).toEqual(['urgent', 'late', 'rider']);
  });

  it('caps a bulk request at maxBatchCampaigns and a legacy one at one campaign', () => {
    const views = ['a', 'b', 'c', 'd'].map((id, i) => view(id, { oldestAt: i }));
    expect(selectCampaigns(views, 200, options).map((v) => v.campaignId)).toEqual(['a', 'b', 'c']);
    expect(selectCampaigns(views, 200, { ...options, shape: 'legacy' }).map((v) => v.campaignId)).toEqual(['a']);
  });
});
