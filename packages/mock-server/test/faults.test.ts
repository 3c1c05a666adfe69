import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkFaults, createMockServer, decideFault, listenHttp, seededRandom, startInProcess } from '../src/index.js';

const base = 'http://main.mock';
const at = '2026-11-28T10:00:00.000Z';
const update = (batchId: string) =>
  fetch(`${base}/api/updates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': batchId },
    body: JSON.stringify({
      workerId: 'w',
      batchId,
      campaigns: [{ campaignId: 'cmp-42-001', events: [{ recipientId: 'r', outcome: 'sent', at }] }],
    }),
  });

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.useRealTimers();
});

describe('fault injection', () => {
  it('adds a fixed latency to every answer (virtual time)', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const mock = createMockServer({ faults: { latencyMs: 2_000 } });
    stop = startInProcess(mock);
    let answered = false;
    const pending = update('b1').then(() => {
      answered = true;
    });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(answered).toBe(true);
    expect(mock.state.log[0]?.durationMs).toBe(2_000);
  });

  it('answers a share of update requests with an error status', async () => {
    const mock = createMockServer({ faults: { errorRate: 1, errorStatus: 502 } });
    stop = startInProcess(mock);
    const response = await update('b1');
    expect([response.status, (await response.json()).error]).toEqual([502, 'error 502']);
    expect(mock.state.summary().eventsApplied).toBe(0);
    expect(mock.state.log[0]?.fault).toBe('error 502');
    // Intake is not hit by error rates.
    expect((await fetch(`${base}/api/campaigns`)).status).toBe(200);
  });

  it('throttles with 429 or 503 and a Retry-After in seconds or as an HTTP date', async () => {
    const mock = createMockServer({ faults: { throttleRate: 1, retryAfterSeconds: 45 } });
    stop = startInProcess(mock);
    const seconds = await update('b1');
    expect([seconds.status, seconds.headers.get('retry-after')]).toEqual([429, '45']);
    mock.setFaults({ throttleRate: 1, throttleStatus: 503, retryAfterSeconds: 60, retryAfterFormat: 'date' });
    const date = await update('b2');
    expect(date.status).toBe(503);
    const when = Date.parse(date.headers.get('retry-after') ?? '');
    expect(when - Date.now()).toBeGreaterThan(55_000);
    expect(when - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('fails every request in an outage window, as a network error or a 503', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const mock = createMockServer({ faults: { outages: [{ fromMs: 60_000, toMs: 120_000 }] } });
    stop = startInProcess(mock);
    expect((await update('b1')).status).toBe(200);
    vi.setSystemTime(60_000);
    await expect(update('b2')).rejects.toThrow();
    await expect(fetch(`${base}/api/campaigns`)).rejects.toThrow();
    mock.setFaults({ outages: [{ fromMs: 60_000, toMs: 120_000 }], outageMode: 'status' });
    expect((await update('b3')).status).toBe(503);
    vi.setSystemTime(120_000);
    expect((await update('b4')).status).toBe(200);
    expect(mock.state.log.map((e) => e.fault ?? 'none')).toEqual(['none', 'outage', 'outage', 'outage', 'none']);
  });

  it('resets the connection in an outage over real HTTP', async () => {
    const mock = createMockServer({ faults: { outages: [{ fromMs: 0, toMs: 3_600_000 }] } });
    const server = await listenHttp(mock);
    try {
      await expect(fetch(`${server.url}/api/campaigns`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('hangs a request until the client gives up', async () => {
    const mock = createMockServer({ faults: { hangRate: 1 }, hangMs: 60_000 });
    const server = await listenHttp(mock);
    try {
      const started = Date.now();
      await expect(
        fetch(`${server.url}/api/campaigns/cmp-42-001/events`, {
          method: 'POST',
          body: JSON.stringify({ events: [] }),
          signal: AbortSignal.timeout(200),
        }),
      ).rejects.toThrow();
      // Ended by the client, long before the 60 s hang would have.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(mock.state.log[0]?.fault).toBe('hang');
    } finally {
      await server.close();
    }
  });

  it('refuses a body above maxBodyBytes with 413', async () => {
    const mock = createMockServer({ faults: { maxBodyBytes: 100 } });
    stop = startInProcess(mock);
    expect((await update('b1')).status).toBe(413);
  });

  it('refuses bad fault options, naming the field', () => {
    expect(() => checkFaults({ errorRate: 2 })).toThrow('fault errorRate: expected at most 1, got 2');
    expect(() => checkFaults({ errorRate: 0.6, throttleRate: 0.6 })).toThrow('expected at most 1, got 1.2');
    expect(() => checkFaults({ outages: [{ fromMs: 10, toMs: 5 }] })).toThrow(
      'fault outages[0]: expected toMs > fromMs',
    );
    expect(() => checkFaults({ latencyMs: { min: 5, max: 1 } })).toThrow('fault latencyMs: expected max >= min');
    expect(() => createMockServer({ faults: { hangRate: -1 } })).toThrow('fault hangRate: expected >= 0, got -1');
    expect(() => checkFaults({ errorrate: 1 })).toThrow('fault (root): unknown field errorrate');
    expect(() => checkFaults({ outages: 5 })).toThrow('fault outages: expected array, got 5');
    expect(() => checkFaults({ throttleStatus: 500 })).toThrow('fault throttleStatus');
  });
});

describe('decideFault', () => {
  it('draws errors, throttling and hangs as shares of the same requests, deterministically for a seed', () => {
    const faults = { errorRate: 0.1, throttleRate: 0.2, hangRate: 0.05 };
    const kinds = (seed: number) => {
      const random = seededRandom(seed);
      const counts: Record<string, number> = {};
      for (let i = 0; i < 10_000; i++) {
        const decision = decideFault(faults, { endpoint: 'bulk', bytes: 10, elapsedMs: 0, now: 0 }, random);
        const label = decision.kind === 'pass' ? 'pass' : decision.label;
        counts[label] = (counts[label] ?? 0) + 1;
      }
      return counts;
    };
    const counts = kinds(7);
    expect(kinds(7)).toEqual(counts);
    expect(counts['error 500']! / 10_000).toBeCloseTo(0.1, 1);
    expect(counts['throttle 429']! / 10_000).toBeCloseTo(0.2, 1);
    expect(counts.hang! / 10_000).toBeCloseTo(0.05, 1);
  });

  it('leaves intake alone (but not in an outage) and never touches the admin endpoints', () => {
    const random = () => 0;
    const faults = { errorRate: 1, outages: [{ fromMs: 0, toMs: 10 }] };
    expect(decideFault({ errorRate: 1 }, { endpoint: 'intake', bytes: 0, elapsedMs: 0, now: 0 }, random).kind).toBe(
      'pass',
    );
    expect(decideFault(faults, { endpoint: 'intake', bytes: 0, elapsedMs: 5, now: 0 }, random).kind).toBe('network');
    expect(decideFault(faults, { endpoint: 'admin', bytes: 0, elapsedMs: 5, now: 0 }, random).kind).toBe('pass');
  });
});

describe('decideFault latency', () => {
  it('draws a random latency within the range, deterministically for a seed', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from(
        { length: 1000 },
        () =>
          decideFault(
            { latencyMs: { min: 100, max: 2000 } },
            { endpoint: 'bulk', bytes: 1, elapsedMs: 0, now: 0 },
            random,
          ).latencyMs,
      );
    };
    const latencies = draw(3);
    expect(draw(3)).toEqual(latencies);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(2000);
    expect(new Set(latencies).size).toBeGreaterThan(500);
  });
});
