import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockServer, type MockServer, startInProcess } from '../src/index.js';
import { event, serve, status } from './harness.js';

const bulk = (batchId: string, events: unknown[]) => ({
  workerId: 'w1',
  batchId,
  campaigns: [{ campaignId: 'cmp-42-001', events }],
});

describe.each(['in-process', 'http'] as const)('Idempotency-Key reuse (%s)', (mode) => {
  const served = serve(mode);
  const { post, put } = served;
  const answer = async (response: Response) => [response.status, await response.json()];
  const reused = (key: string) => ({
    error: `header Idempotency-Key: "${key}" was already used for a request with another body`,
  });

  it('acknowledges the same key with the same body as a duplicate, whatever its key order and spacing', async () => {
    const key = { 'idempotency-key': 'b-1' };
    expect(await answer(await post('/api/updates', bulk('b-1', [event('r1')]), key))).toEqual([
      200,
      { accepted: 1, duplicate: false },
    ]);
    const reordered = `{ "campaigns": [{ "events": [{ "at": "${event('r1').at}", "outcome": "sent", "recipientId": "r1" }], "campaignId": "cmp-42-001" }], "batchId": "b-1", "workerId": "w1" }`;
    expect(await answer(await post('/api/updates', reordered, key))).toEqual([200, { accepted: 0, duplicate: true }]);
    expect(served.mock.state.summary()).toMatchObject({ eventsApplied: 1, duplicateBatches: 1 });
  });

  it('refuses a reused key with another body with 422, applying nothing of it', async () => {
    const key = { 'idempotency-key': 'b-1' };
    await post('/api/updates', bulk('b-1', [event('r1')]), key);
    expect(await answer(await post('/api/updates', bulk('b-1', [event('r1'), event('r2')]), key))).toEqual([
      422,
      reused('b-1'),
    ]);
    // Legacy endpoints likewise: other events, or the key of an events request on the status endpoint.
    const k1 = { 'idempotency-key': 'k1' };
    expect((await post('/api/campaigns/cmp-42-002/events', { events: [event('r1')] }, k1)).status).toBe(200);
    expect(await answer(await post('/api/campaigns/cmp-42-002/events', { events: [event('r9')] }, k1))).toEqual([
      422,
      reused('k1'),
    ]);
    expect(await answer(await post('/api/campaigns/cmp-42-003/events', { events: [event('r1')] }, k1))).toEqual([
      422,
      reused('k1'),
    ]);
    expect(await answer(await put('/api/campaigns/cmp-42-002/status', status(1), k1))).toEqual([422, reused('k1')]);
    expect(await answer(await post('/api/campaigns/cmp-42-002/events', { events: [event('r1')] }, k1))).toEqual([
      200,
      { accepted: 0, duplicate: true },
    ]);
    expect(served.mock.state.events.get('cmp-42-001')?.map((e) => e.recipientId)).toEqual(['r1']);
    expect(served.mock.state.events.get('cmp-42-002')?.map((e) => e.recipientId)).toEqual(['r1']);
    expect(served.mock.state.statuses.size).toBe(0);
  });

  it('does not take the key of a refused request, so it may come back fixed', async () => {
    const key = { 'idempotency-key': 'k2' };
    const refused = await post('/api/campaigns/cmp-nope/events', { events: [event('r1')] }, key);
    expect(refused.status).toBe(404);
    expect(await answer(await post('/api/campaigns/cmp-42-001/events', { events: [event('r1')] }, key))).toEqual([
      200,
      { accepted: 1, duplicate: false },
    ]);
  });
});

describe('idempotencyDraft (in-process, virtual time)', () => {
  let stop: (() => void) | undefined;
  afterEach(() => {
    stop?.();
    stop = undefined;
    vi.useRealTimers();
  });

  const send = (body: unknown, key: string) =>
    fetch('http://main.mock/api/updates', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  /** Until the server has seen `n` requests (real turns of the event loop; virtual time stands still). */
  const arrived = async (mock: MockServer, n: number) => {
    while (mock.state.log.length < n) await new Promise((resolve) => setImmediate(resolve));
  };
  const start = (idempotencyDraft: boolean) => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const mock = createMockServer({ idempotencyDraft, faults: { latencyMs: 1_000 } });
    stop = startInProcess(mock);
    return mock;
  };

  it('answers 409 to a request whose key is still being processed; the first completes and applies once', async () => {
    const mock = start(true);
    const body = bulk('b-1', [event('r1'), event('r2')]);
    const first = send(body, 'b-1');
    await arrived(mock, 1);
    await vi.advanceTimersByTimeAsync(500);
    const second = send(body, 'b-1');
    await arrived(mock, 2);
    await vi.advanceTimersByTimeAsync(500);
    const firstAnswer = await first;
    expect([firstAnswer.status, await firstAnswer.json()]).toEqual([200, { accepted: 2, duplicate: false }]);
    await vi.advanceTimersByTimeAsync(500);
    const secondAnswer = await second;
    expect([secondAnswer.status, await secondAnswer.json()]).toEqual([
      409,
      { error: 'header Idempotency-Key: a request with "b-1" is still being processed; try again later' },
    ]);
    // Once the first has its answer, the key is free: a retry is a duplicate.
    const third = send(body, 'b-1');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await (await third).json()).toEqual({ accepted: 0, duplicate: true });
    expect(mock.state.summary()).toMatchObject({ eventsApplied: 2, duplicateBatches: 1, byStatus: { 200: 2, 409: 1 } });
  });

  it('holds the key of a legacy request too, and another key is not held up', async () => {
    const mock = start(true);
    const post = (key: string) =>
      fetch('http://main.mock/api/campaigns/cmp-42-001/events', {
        method: 'POST',
        headers: { 'idempotency-key': key },
        body: JSON.stringify({ events: [event(key)] }),
      });
    const answers = [post('k1')];
    await arrived(mock, 1);
    answers.push(post('k1'), post('k2'));
    await arrived(mock, 3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await Promise.all(answers.map(async (a) => (await a).status))).toEqual([200, 409, 200]);
    expect(mock.state.events.get('cmp-42-001')?.map((e) => e.recipientId)).toEqual(['k1', 'k2']);
  });

  it('without the draft, the second request waits its turn and is answered as a duplicate', async () => {
    const mock = start(false);
    const body = bulk('b-1', [event('r1')]);
    const first = send(body, 'b-1');
    await arrived(mock, 1);
    await vi.advanceTimersByTimeAsync(500);
    const second = send(body, 'b-1');
    await arrived(mock, 2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await (await first).json()).toEqual({ accepted: 1, duplicate: false });
    expect(await (await second).json()).toEqual({ accepted: 0, duplicate: true });
  });

  it('is an option checked where it enters', () => {
    expect(() => createMockServer({ idempotencyDraft: 'yes' as never })).toThrow(
      new TypeError('Expected `idempotencyDraft` to be a boolean, got `yes` (string)'),
    );
    expect(() => createMockServer({ idempotencydraft: true } as never)).toThrow(TypeError);
  });
});
