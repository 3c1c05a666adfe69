import { describe, expect, it } from 'vitest';
import { event, serve, status } from './harness.js';

const C = 'cmp-42-001';
const bulk = (batchId: string, campaigns: { campaignId: string; ownerEpoch?: number; events?: unknown[] }[]) => ({
  workerId: 'w1',
  batchId,
  campaigns: campaigns.map(({ events = [event(batchId)], ...rest }) => ({ ...rest, events })),
});
const stale = (field: string, epoch: number, newest: number, campaignId = C) => ({
  error: `${field}: owner epoch ${epoch} of campaign "${campaignId}" is older than ${newest}, the newest this server has seen (another worker owns the campaign now)`,
});

describe.each(['in-process', 'http'] as const)('fencing by owner epoch (%s)', (mode) => {
  const served = serve(mode);
  const { post, put } = served;
  const answer = async (response: Response) => [response.status, await response.json()];
  const key = (k: string) => ({ 'idempotency-key': k });

  it('bulk: refuses 412 an update whose epoch is older than the newest seen, naming both epochs', async () => {
    expect((await post('/api/updates', bulk('b1', [{ campaignId: C, ownerEpoch: 2 }]), key('b1'))).status).toBe(200);
    expect(await answer(await post('/api/updates', bulk('b2', [{ campaignId: C, ownerEpoch: 1 }]), key('b2')))).toEqual(
      [412, stale('campaigns[0].ownerEpoch', 1, 2)],
    );
    // The same epoch and a newer one are taken; then the older one is refused against the newer.
    expect((await post('/api/updates', bulk('b3', [{ campaignId: C, ownerEpoch: 2 }]), key('b3'))).status).toBe(200);
    expect((await post('/api/updates', bulk('b4', [{ campaignId: C, ownerEpoch: 5 }]), key('b4'))).status).toBe(200);
    expect(await answer(await post('/api/updates', bulk('b5', [{ campaignId: C, ownerEpoch: 2 }]), key('b5')))).toEqual(
      [412, stale('campaigns[0].ownerEpoch', 2, 5)],
    );
    expect(served.mock.state.summary()).toMatchObject({ eventsApplied: 3, fencedUpdates: 2 });
    expect(served.mock.state.ownerEpoch(C)).toBe(5);
  });

  it('bulk: one fenced campaign refuses the whole batch, and applies nothing of it', async () => {
    await post('/api/updates', bulk('b1', [{ campaignId: 'cmp-42-002', ownerEpoch: 4 }]), key('b1'));
    const mixed = bulk('b2', [
      { campaignId: C, ownerEpoch: 1 },
      { campaignId: 'cmp-42-002', ownerEpoch: 3 },
    ]);
    expect(await answer(await post('/api/updates', mixed, key('b2')))).toEqual([
      412,
      stale('campaigns[1].ownerEpoch', 3, 4, 'cmp-42-002'),
    ]);
    expect(served.mock.state.events.get(C)).toBeUndefined();
    // Refused, the batch id is not taken: the same id with the right epoch goes through.
    const fixed = bulk('b2', [{ campaignId: C, ownerEpoch: 1 }]);
    expect((await post('/api/updates', fixed, key('b2'))).status).toBe(200);
  });

  it('bulk: updates without an epoch stay accepted, before and after fenced ones', async () => {
    expect((await post('/api/updates', bulk('b0', [{ campaignId: C }]), key('b0'))).status).toBe(200);
    await post('/api/updates', bulk('b1', [{ campaignId: C, ownerEpoch: 9 }]), key('b1'));
    expect((await post('/api/updates', bulk('b2', [{ campaignId: C }]), key('b2'))).status).toBe(200);
    expect(served.mock.state.summary()).toMatchObject({ eventsApplied: 3, fencedUpdates: 0 });
  });

  it('bulk: a repeat of a batch applied under an older epoch is still acknowledged as a duplicate', async () => {
    const first = bulk('b1', [{ campaignId: C, ownerEpoch: 1 }]);
    await post('/api/updates', first, key('b1'));
    await post('/api/updates', bulk('b2', [{ campaignId: C, ownerEpoch: 2 }]), key('b2'));
    expect(await answer(await post('/api/updates', first, key('b1')))).toEqual([200, { accepted: 0, duplicate: true }]);
  });

  it('legacy: X-Owner-Epoch fences the events and the status endpoints alike', async () => {
    const epoch = (n: number | string) => ({ 'x-owner-epoch': String(n) });
    const events = `/api/campaigns/${C}/events`;
    const statusPath = `/api/campaigns/${C}/status`;
    expect((await post(events, { events: [event('r1')] }, epoch(3))).status).toBe(200);
    expect(await answer(await post(events, { events: [event('r2')] }, epoch(2)))).toEqual([
      412,
      stale('header X-Owner-Epoch', 2, 3),
    ]);
    expect(await answer(await put(statusPath, status(1), epoch(1)))).toEqual([
      412,
      stale('header X-Owner-Epoch', 1, 3),
    ]);
    expect((await put(statusPath, status(1), epoch(3))).status).toBe(200);
    // Without the header: accepted (backward compatible).
    expect((await post(events, { events: [event('r3')] })).status).toBe(200);
    // The bulk endpoint and the legacy ones share the newest epoch of a campaign.
    expect((await post('/api/updates', bulk('b1', [{ campaignId: C, ownerEpoch: 2 }]), key('b1'))).status).toBe(412);
    expect(served.mock.state.summary()).toMatchObject({ eventsApplied: 2, fencedUpdates: 3 });
  });

  it('legacy: refuses an X-Owner-Epoch that is not a whole number, naming the header', async () => {
    for (const bad of ['-1', '1.5', 'abc', '']) {
      expect(
        await answer(await post(`/api/campaigns/${C}/events`, { events: [event('r1')] }, { 'x-owner-epoch': bad })),
      ).toEqual([400, { error: `header X-Owner-Epoch: expected a whole number >= 0, got "${bad}"` }]);
    }
  });
});
