import { describe, expect, it } from 'vitest';
import { event, serve, status } from './harness.js';

const withId = (recipientId: string, eventId: string) => event(recipientId, 'sent', { eventId });

describe.each(['in-process', 'http'] as const)('deduplication by event id and status seq (%s)', (mode) => {
  const served = serve(mode);
  const { post, put } = served;
  const answer = async (response: Response) => [response.status, await response.json()];
  const bulk = (batchId: string, campaigns: unknown[]) =>
    post('/api/updates', { workerId: 'w1', batchId, campaigns }, { 'idempotency-key': batchId });
  const recipientsOf = (campaignId: string) => served.mock.state.events.get(campaignId)?.map((e) => e.recipientId);

  it('applies an event id once per campaign: a re-sent event is deduplicated, and accepted counts only new ones', async () => {
    const part = (events: unknown[]) => [{ campaignId: 'cmp-42-001', events }];
    expect(await answer(await bulk('b-1', part([withId('r1', 'e1'), withId('r2', 'e2')])))).toEqual([
      200,
      { accepted: 2, duplicate: false },
    ]);
    // A part of a split batch, under its own batch id, carrying an event the server already applied.
    expect(
      await answer(await bulk('b-1.2', part([withId('r2', 'e2'), withId('r3', 'e3'), withId('r3', 'e3')]))),
    ).toEqual([200, { accepted: 1, duplicate: false }]);
    // The same id in another campaign is another event.
    expect(await answer(await bulk('b-2', [{ campaignId: 'cmp-42-002', events: [withId('r1', 'e1')] }]))).toEqual([
      200,
      { accepted: 1, duplicate: false },
    ]);
    // The legacy endpoint deduplicates the same way.
    const legacy = await post('/api/campaigns/cmp-42-001/events', { events: [withId('r1', 'e1'), withId('r4', 'e4')] });
    expect(await answer(legacy)).toEqual([200, { accepted: 1, duplicate: false }]);
    expect(recipientsOf('cmp-42-001')).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(served.mock.state.summary()).toMatchObject({ eventsApplied: 5, deduplicatedEvents: 3, duplicateEvents: 0 });
  });

  it('applies events without an event id as before, counting a recipient applied again as a duplicate', async () => {
    await post('/api/campaigns/cmp-42-001/events', { events: [event('r1'), event('r2')] });
    const again = await post('/api/campaigns/cmp-42-001/events', { events: [event('r1')] });
    expect(await answer(again)).toEqual([200, { accepted: 1, duplicate: false }]);
    // A recipient reported again under a new event id is applied, and is a real duplicate at the server.
    await bulk('b-1', [{ campaignId: 'cmp-42-001', events: [withId('r2', 'e-new')] }]);
    expect(recipientsOf('cmp-42-001')).toEqual(['r1', 'r2', 'r1', 'r2']);
    expect(served.mock.state.summary()).toMatchObject({ eventsApplied: 4, duplicateEvents: 2, deduplicatedEvents: 0 });
  });

  it('answers a repeated status (same seq, same content) as a duplicate, and a stale one with success, keeping the newer', async () => {
    const path = '/api/campaigns/cmp-42-001/status';
    expect(await answer(await put(path, status(2)))).toEqual([200, { accepted: 1, duplicate: false }]);
    expect(await answer(await put(path, status(2)))).toEqual([200, { accepted: 0, duplicate: true }]);
    // The same seq with other content, and an older seq, are stale: success, not kept.
    expect(await answer(await put(path, status(2, 'running', 9)))).toEqual([200, { accepted: 0, duplicate: false }]);
    expect(await answer(await put(path, status(1)))).toEqual([200, { accepted: 0, duplicate: false }]);
    expect(served.mock.state.statuses.get('cmp-42-001')).toEqual(status(2));
    expect(await answer(await put(path, status(3, 'completed')))).toEqual([200, { accepted: 1, duplicate: false }]);
    expect(served.mock.state.campaigns.get('cmp-42-001')?.state).toBe('completed');
    expect(served.mock.state.summary()).toMatchObject({ duplicateStatuses: 1, staleStatuses: 2 });
  });

  it('counts a status repeated in a bulk batch as a duplicate status, not a stale one', async () => {
    await bulk('b-1', [{ campaignId: 'cmp-42-003', events: [], status: status(4) }]);
    const again = await bulk('b-2', [{ campaignId: 'cmp-42-003', events: [], status: status(4) }]);
    expect(await answer(again)).toEqual([200, { accepted: 0, duplicate: false }]);
    await bulk('b-3', [{ campaignId: 'cmp-42-003', events: [], status: status(3) }]);
    expect(served.mock.state.statuses.get('cmp-42-003')?.seq).toBe(4);
    expect(served.mock.state.summary()).toMatchObject({ duplicateStatuses: 1, staleStatuses: 1 });
  });
});
