import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Batch,
  createHttpTransport,
  type ErrorEvent,
  type GateRequest,
  type SchedulerOptions,
  ServerUpdateScheduler,
} from '../src/index.js';
import { createFakeServer, event, sequentialIds } from './fake-server.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

function setup(options: Partial<SchedulerOptions>) {
  const server = createFakeServer();
  const scheduler = new ServerUpdateScheduler({
    transport: server.transport,
    workerId: 'w1',
    createBatchId: sequentialIds(),
    random: () => 0.5,
    ...options,
  });
  return { scheduler, server };
}

/** A gate that opens `delayMs` after each ask, and remembers what it was asked. */
function slowGate(delayMs: number) {
  const asked: { at: number; request: GateRequest }[] = [];
  const gate = (request: GateRequest) => {
    asked.push({ at: Date.now(), request });
    return new Promise<void>((resolve) => setTimeout(resolve, delayMs));
  };
  return { gate, asked };
}

describe('ServerUpdateScheduler: requestGate', () => {
  it('waits for the gate before each request, and spaces the real starts by minIntervalMs', async () => {
    const { gate, asked } = slowGate(20_000);
    const { scheduler, server } = setup({ requestGate: gate, maxBatchEvents: 1, maxBatchCampaigns: 1 });
    for (const id of ['a', 'b', 'c']) {
      scheduler.registerCampaign(id);
      scheduler.record(id, event(`${id}-1`));
    }
    const flushed = scheduler.flush();
    await vi.advanceTimersByTimeAsync(200_000);
    await flushed;
    const starts = server.log.map((request) => request.at - T0);
    expect(starts).toHaveLength(3);
    // The first asks at once and starts when the gate opens; the others ask only after it started.
    expect(starts[0]).toBe(20_000);
    for (let i = 1; i < starts.length; i++) {
      expect((starts[i] as number) - (starts[i - 1] as number)).toBeGreaterThanOrEqual(15_000);
    }
    expect(asked.map((ask) => ask.request)).toEqual([
      { batchId: 'b1', attempt: 1, campaigns: 1, events: 1 },
      { batchId: 'b2', attempt: 1, campaigns: 1, events: 1 },
      { batchId: 'b3', attempt: 1, campaigns: 1, events: 1 },
    ]);
    await scheduler.close();
  });

  it('a gate that throws is never bypassed: the batch asks again after minIntervalMs and the error is reported', async () => {
    let calls = 0;
    const errors: ErrorEvent[] = [];
    const { scheduler, server } = setup({
      requestGate: () => {
        calls++;
        if (calls <= 2) throw new Error('budget store unreachable');
      },
    });
    scheduler.on('error', (error) => errors.push(error));
    scheduler.registerCampaign('a');
    scheduler.record('a', event(1));
    const flushed = scheduler.flush('a');
    await vi.advanceTimersByTimeAsync(14_999);
    expect(server.log).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(15_001);
    await flushed;
    expect(calls).toBe(3);
    expect(server.log.map((request) => request.at - T0)).toEqual([30_000]);
    expect(errors.map((error) => [error.source, (error.error as Error).message])).toEqual([
      ['requestGate', 'budget store unreachable'],
      ['requestGate', 'budget store unreachable'],
    ]);
    expect(scheduler.stats()).toMatchObject({ requests: 1, retries: 0, eventsDelivered: 1 });
    await scheduler.close();
  });

  it('close() aborts a gate still waiting, and nothing is sent after it', async () => {
    let signal: AbortSignal | undefined;
    const { scheduler, server } = setup({
      requestGate: (_request, context) => {
        signal = context.signal;
        return new Promise<void>(() => {});
      },
    });
    scheduler.registerCampaign('a');
    scheduler.record('a', event(1));
    void scheduler.flush('a');
    await vi.advanceTimersByTimeAsync(1);
    const closed = scheduler.close({ timeoutMs: 1_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    const report = await closed;
    expect(signal?.aborted).toBe(true);
    expect(server.log).toHaveLength(0);
    expect(report.complete).toBe(false);
    expect(report.unacknowledged.flatMap((batch) => batch.campaigns.map((update) => update.events.length))).toEqual([
      1,
    ]);
  });

  it('refuses a requestGate that is not a function, naming it', () => {
    expect(() => setup({ requestGate: 'yes' as never })).toThrow(/`requestGate`/);
  });
});

describe('ServerUpdateScheduler: ownerEpoch', () => {
  it('sends the registered owner epoch with each update; a batch keeps the epoch it was taken with', async () => {
    const batches: Batch[] = [];
    const { scheduler } = setup({
      transport: async (batch) => {
        batches.push(batch);
        return { status: 200 };
      },
    });
    scheduler.registerCampaign('a', { ownerEpoch: 3 });
    scheduler.record('a', event(1));
    await scheduler.flush('a');
    scheduler.registerCampaign('a', { ownerEpoch: 4 });
    scheduler.record('a', event(2));
    const flushed = scheduler.flush('a');
    await vi.advanceTimersByTimeAsync(15_000);
    await flushed;
    expect(batches.map((batch) => batch.campaigns.map((update) => update.ownerEpoch))).toEqual([[3], [4]]);
    await scheduler.close();
  });

  it('is written into the bulk body and, for the legacy shape, as X-Owner-Epoch', async () => {
    const seen: { url: string; headers: Headers; body: unknown }[] = [];
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body));
      seen.push({ url: String(url), headers: new Headers(init?.headers), body });
      const answer = String(url).endsWith('/api/updates')
        ? { accepted: body.campaigns[0].events.length, duplicate: false }
        : { ok: true };
      return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } });
    };
    const batch = (campaigns: Batch['campaigns']): Batch => ({ batchId: 'b1', workerId: 'w1', campaigns });
    const signal = new AbortController().signal;
    const bulk = createHttpTransport({ baseUrl: 'http://main.test', shape: 'bulk', fetch });
    await bulk(batch([{ campaignId: 'a', events: [event(1) as never], ownerEpoch: 7 }]), { signal });
    const legacy = createHttpTransport({ baseUrl: 'http://main.test', shape: 'legacy', fetch });
    await legacy(batch([{ campaignId: 'a', events: [event(1) as never], ownerEpoch: 7 }]), { signal });
    expect(seen[0]?.body).toMatchObject({ campaigns: [{ campaignId: 'a', ownerEpoch: 7 }] });
    expect(seen[1]?.headers.get('x-owner-epoch')).toBe('7');
    expect(seen[1]?.body).toEqual({ events: [event(1)] });
  });

  it('a 412 (fenced: another worker owns the campaign) is narrowed to that campaign and dead-lettered', async () => {
    const server = createFakeServer({
      behave: (batch) =>
        batch.campaigns.some((update) => update.campaignId === 'lost')
          ? { kind: 'answer', status: 412, message: 'owner epoch 2 is older than 3' }
          : { kind: 'answer', status: 200 },
    });
    const { scheduler } = setup({ transport: server.transport, minIntervalMs: 1000 });
    const letters: string[] = [];
    scheduler.on('deadletter', (letter) => letters.push(`${letter.campaignId}: ${letter.reason}`));
    scheduler.registerCampaign('kept', { ownerEpoch: 1, emailsPerMinute: 300 });
    scheduler.registerCampaign('lost', { ownerEpoch: 2, emailsPerMinute: 300 });
    scheduler.record('kept', event(1));
    scheduler.record('lost', event(2));
    await vi.advanceTimersByTimeAsync(60_000);
    expect([...server.events.keys()]).toEqual(['kept']);
    expect(letters).toEqual(['lost: HTTP 412: owner epoch 2 is older than 3']);
  });

  it('refuses an owner epoch that is not a whole number >= 0, naming the field', () => {
    const { scheduler } = setup({});
    expect(() => scheduler.registerCampaign('a', { ownerEpoch: -1 })).toThrow(/`registration.ownerEpoch`/);
    expect(() => scheduler.registerCampaign('a', { ownerEpoch: 1.5 })).toThrow(/`registration.ownerEpoch`/);
  });
});
