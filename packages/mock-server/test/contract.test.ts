import { describe, expect, it } from 'vitest';
import { event, serve, status } from './harness.js';

/** The same checks, in-process through msw/node and over a real HTTP round trip. */
describe.each(['in-process', 'http'] as const)('mock main server (%s)', (mode) => {
  const served = serve(mode);
  const { post, put } = served;

  it('lists ready campaigns covering the four speed classes, deterministically', async () => {
    const { campaigns } = await (await fetch(`${served.base}/api/campaigns?state=ready`)).json();
    expect(
      campaigns.map((c: { id: string; emailsPerMinute: number; total: number }) => [c.id, c.emailsPerMinute, c.total]),
    ).toEqual([
      ['cmp-42-001', 10, 30],
      ['cmp-42-002', 40, 120],
      ['cmp-42-003', 100, 300],
      ['cmp-42-004', 300, 900],
    ]);
    const one = await (await fetch(`${served.base}/api/campaigns/cmp-42-002`)).json();
    expect(one).toMatchObject({ id: 'cmp-42-002', emailsPerMinute: 40, state: 'ready' });
    expect((await fetch(`${served.base}/api/campaigns/nope`)).status).toBe(404);
  });

  it('pages recipients with a cursor', async () => {
    const first = await (await fetch(`${served.base}/api/campaigns/cmp-42-003/recipients`)).json();
    expect(first.recipients).toHaveLength(100);
    expect(first.nextCursor).toBe('100');
    const ids: string[] = first.recipients.map((r: { id: string }) => r.id);
    let cursor = first.nextCursor;
    while (cursor !== null) {
      const page = await (await fetch(`${served.base}/api/campaigns/cmp-42-003/recipients?cursor=${cursor}`)).json();
      ids.push(...page.recipients.map((r: { id: string }) => r.id));
      cursor = page.nextCursor;
    }
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    const bad = await fetch(`${served.base}/api/campaigns/cmp-42-003/recipients?cursor=abc`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('cursor: expected a cursor from a previous page, got "abc"');
  });

  it('applies a bulk update once per batch id; a repeat is a duplicate and changes nothing', async () => {
    const body = {
      workerId: 'w1',
      batchId: 'b-1',
      campaigns: [{ campaignId: 'cmp-42-001', events: [event('r1'), event('r2')], status: status(1) }],
    };
    const first = await post('/api/updates', body, { 'idempotency-key': 'b-1' });
    expect([first.status, await first.json()]).toEqual([200, { accepted: 2, duplicate: false }]);
    const again = await post('/api/updates', body, { 'idempotency-key': 'b-1' });
    expect([again.status, await again.json()]).toEqual([200, { accepted: 0, duplicate: true }]);
    expect(served.mock.state.events.get('cmp-42-001')?.map((e) => e.recipientId)).toEqual(['r1', 'r2']);
    expect(served.mock.state.statuses.get('cmp-42-001')?.seq).toBe(1);
    expect(served.mock.state.summary()).toMatchObject({ duplicateBatches: 1, duplicateEvents: 0, eventsApplied: 2 });
  });

  it('refuses a bad payload with a 400 naming the path and value', async () => {
    const events = [event('r1'), event('r2', 'ok')];
    const response = await post(
      '/api/updates',
      { workerId: 'w1', batchId: 'b-2', campaigns: [{ campaignId: 'c', events }] },
      { 'idempotency-key': 'b-2' },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'campaigns[0].events[1].outcome: expected one of sent|failed|bounced|skipped, got "ok"',
    });
    const noKey = await post('/api/updates', {
      workerId: 'w',
      batchId: 'b-3',
      campaigns: [{ campaignId: 'c', events: [] }],
    });
    expect((await noKey.json()).error).toBe('header Idempotency-Key: expected the batchId, got nothing');
    const notJson = await post('/api/campaigns/c/events', '{oops', {});
    expect([notJson.status, (await notJson.json()).error]).toEqual([400, 'body: expected JSON']);
    expect(served.mock.state.summary().eventsApplied).toBe(0);
  });

  it('takes legacy events and statuses, keeping the newer status over a stale one', async () => {
    expect((await post('/api/campaigns/cmp-42-001/events', { events: [event('r1')] })).status).toBe(200);
    expect((await put('/api/campaigns/cmp-42-001/status', status(2))).status).toBe(200);
    const stale = await put('/api/campaigns/cmp-42-001/status', status(1));
    expect([stale.status, await stale.json()]).toEqual([200, { accepted: 0, duplicate: false }]);
    expect(served.mock.state.statuses.get('cmp-42-001')?.seq).toBe(2);
    // Without an idempotency key the legacy endpoint cannot tell a repeat: the duplicate is counted.
    await post('/api/campaigns/cmp-42-001/events', { events: [event('r1')] });
    expect(served.mock.state.summary()).toMatchObject({ duplicateEvents: 1, staleStatuses: 1 });
    // With one, a repeat is acknowledged and not applied.
    await post('/api/campaigns/cmp-42-001/events', { events: [event('r9')] }, { 'idempotency-key': 'k1' });
    await post('/api/campaigns/cmp-42-001/events', { events: [event('r9')] }, { 'idempotency-key': 'k1' });
    expect(served.mock.state.events.get('cmp-42-001')?.filter((e) => e.recipientId === 'r9')).toHaveLength(1);
  });

  it('carries per-campaign control in the bulk answer', async () => {
    await post('/__mock/control', { campaignId: 'cmp-42-002', state: 'paused' });
    const response = await post(
      '/api/updates',
      {
        workerId: 'w',
        batchId: 'b-9',
        campaigns: [
          { campaignId: 'cmp-42-002', events: [] },
          { campaignId: 'cmp-42-003', events: [] },
        ],
      },
      { 'idempotency-key': 'b-9' },
    );
    expect(await response.json()).toEqual({
      accepted: 0,
      duplicate: false,
      control: [{ campaignId: 'cmp-42-002', state: 'paused' }],
    });
  });

  it('keeps a request log and a load summary, readable over its own endpoints', async () => {
    await post('/api/campaigns/cmp-42-001/events', { events: [event('r1'), event('r2')] }, { 'idempotency-key': 'k' });
    await put('/api/campaigns/cmp-42-001/status', status(1));
    const { log } = await (await fetch(`${served.base}/__mock/log`)).json();
    expect(
      log.map((e: Record<string, unknown>) => [
        e.method,
        e.path,
        e.endpoint,
        e.status,
        e.batchId,
        e.campaigns,
        e.events,
      ]),
    ).toEqual([
      ['POST', '/api/campaigns/cmp-42-001/events', 'events', 200, 'k', ['cmp-42-001'], 2],
      ['PUT', '/api/campaigns/cmp-42-001/status', 'status', 200, undefined, ['cmp-42-001'], 0],
    ]);
    expect(log[0].bytes).toBeGreaterThan(50);
    const summary = await (await fetch(`${served.base}/__mock/summary`)).json();
    expect(summary).toMatchObject({
      requests: 2,
      peak15s: 2,
      byEndpoint: { events: 1, status: 1 },
      byStatus: { 200: 2 },
      eventsApplied: 2,
    });
  });
});
