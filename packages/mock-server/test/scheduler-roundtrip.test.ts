import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, type HttpMock, listenHttp } from '../src/index.js';

// The scheduler's HTTP transport against the mock over a real HTTP round trip, with faults on. Real time, with
// small intervals; nothing here asserts on timing, only on what the server ends up holding.
let server: HttpMock | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(['bulk', 'legacy'] as const)('ServerUpdateScheduler over HTTP (%s shape)', (shape) => {
  it('delivers every event exactly once and the final statuses, through errors and throttling', async () => {
    const mock = createMockServer({ faults: { errorRate: 0.2, throttleRate: 0.1, retryAfterSeconds: 0 } });
    server = await listenHttp(mock);
    const scheduler = new ServerUpdateScheduler({
      transport: createHttpTransport({ baseUrl: server.url, shape }),
      minIntervalMs: 5,
      backoffBaseMs: 5,
      maxBackoffMs: 50,
      breakerCooldownMs: 20,
      maxBatchEvents: 7,
      intervalTable: [{ maxEmailsPerMinute: Number.POSITIVE_INFINITY, intervalMs: 20 }],
    });
    const campaigns = ['cmp-42-001', 'cmp-42-002', 'cmp-42-003'];
    for (const id of campaigns) scheduler.registerCampaign(id);
    for (let i = 0; i < 30; i++) {
      for (const id of campaigns)
        await scheduler.record(id, { recipientId: `${id}-r${i}`, outcome: 'sent', at: new Date().toISOString() });
      if (i % 10 === 9)
        for (const id of campaigns) scheduler.setStatus(id, { state: 'running', sent: i + 1, failed: 0, total: 30 });
    }
    for (const id of campaigns) scheduler.setStatus(id, { state: 'completed', sent: 30, failed: 0, total: 30 });
    const report = await scheduler.close({ timeoutMs: 20_000 });

    expect(report.complete).toBe(true);
    for (const id of campaigns) {
      expect(mock.state.events.get(id)?.map((e) => e.recipientId)).toEqual(
        Array.from({ length: 30 }, (_, i) => `${id}-r${i}`),
      );
      expect(mock.state.statuses.get(id)).toMatchObject({ state: 'completed', sent: 30 });
    }
    const summary = mock.state.summary();
    expect(summary.duplicateEvents).toBe(0);
    expect(summary.staleStatuses).toBe(0);
    expect(summary.byStatus['429'] ?? 0).toBeGreaterThan(0);
    if (shape === 'legacy') expect(Object.keys(summary.byEndpoint).sort()).toEqual(['events', 'status']);
    else expect(Object.keys(summary.byEndpoint)).toEqual(['bulk']);
  });
});

describe.each(['bulk', 'legacy'] as const)('ServerUpdateScheduler fenced by owner epoch (%s shape)', (shape) => {
  it('an old owner’s updates are refused 412 and dead-lettered; the new owner’s are applied', async () => {
    const mock = createMockServer();
    server = await listenHttp(mock);
    const options = {
      minIntervalMs: 5,
      intervalTable: [{ maxEmailsPerMinute: Number.POSITIVE_INFINITY, intervalMs: 5 }],
    };
    const url = server.url;
    const make = (workerId: string) =>
      new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: url, shape }), workerId, ...options });
    const id = 'cmp-42-001';
    const [oldOwner, newOwner] = [make('w-old'), make('w-new')];
    const deadLettered: string[] = [];
    oldOwner.on('deadletter', (letter) => deadLettered.push(letter.reason));
    oldOwner.registerCampaign(id, { ownerEpoch: 1 });
    newOwner.registerCampaign(id, { ownerEpoch: 2 });
    await newOwner.record(id, { recipientId: 'r-new', outcome: 'sent', at: new Date().toISOString() });
    await newOwner.flush(id);
    await oldOwner.record(id, { recipientId: 'r-old', outcome: 'sent', at: new Date().toISOString() });
    await oldOwner.flush(id);
    await Promise.all([oldOwner.close({ timeoutMs: 5_000 }), newOwner.close({ timeoutMs: 5_000 })]);

    expect(mock.state.events.get(id)?.map((e) => e.recipientId)).toEqual(['r-new']);
    expect(deadLettered).toHaveLength(1);
    expect(deadLettered[0]).toMatch(/412.*owner epoch 1 of campaign "cmp-42-001" is older than 2/);
    expect(mock.state.summary().fencedUpdates).toBe(1);
  });
});
