import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, type HttpMock, listenHttp, startInProcess } from '../src/index.js';

const MiB = 1024 * 1024;

/** A body of `total` bytes made as it is read, 64 KiB a pull, so the client holds none of it; counts what was read. */
function lazyBody(total: number) {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk.slice());
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

const postStream = (url: string, body: ReadableStream<Uint8Array>) =>
  fetch(`${url}/api/updates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'b-1' },
    body,
    duplex: 'half',
  } as RequestInit);

let server: HttpMock | undefined;
let stop: (() => void) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  stop?.();
  stop = undefined;
});

describe('the body limit', () => {
  // First in its file (its own process), so the peak RSS before it is this file's baseline.
  it('refuses a 200 MB body over real HTTP with 413 naming the limit, without holding it (RSS does not grow by it)', async () => {
    const mock = createMockServer();
    server = await listenHttp(mock);
    const before = process.resourceUsage().maxRSS * 1024;
    const body = lazyBody(200 * MiB);
    const response = await postStream(server.url, body.stream);
    expect([response.status, await response.json()]).toEqual([
      413,
      { error: 'body: expected at most 1048576 bytes (the body limit), got more' },
    ]);
    const grown = process.resourceUsage().maxRSS * 1024 - before;
    expect(grown).toBeLessThan(100 * MiB);
    // It counted the bytes only up to the limit (and a chunk), and answered without a fault or a parse.
    const [entry] = mock.state.log;
    expect(entry).toMatchObject({ endpoint: 'bulk', status: 413, fault: undefined });
    expect(entry?.bytes).toBeGreaterThan(MiB);
    expect(entry?.bytes).toBeLessThan(2 * MiB);
    // The connection it came on is done with; the server serves on.
    expect((await fetch(`${server.url}/api/campaigns/cmp-42-001`)).status).toBe(200);
  });

  it('stops reading a streamed body in-process as soon as it goes over the limit', async () => {
    const mock = createMockServer({ bodyLimitBytes: 100_000 });
    stop = startInProcess(mock);
    const body = lazyBody(50 * MiB);
    const response = await postStream('http://main.mock', body.stream);
    expect([response.status, (await response.json()).error]).toEqual([
      413,
      'body: expected at most 100000 bytes (the body limit), got more',
    ]);
    expect(body.pulled()).toBeLessThan(1 * MiB);
  });

  it('takes a body of exactly the limit, and refuses one byte more', async () => {
    const mock = createMockServer({ bodyLimitBytes: 200 });
    stop = startInProcess(mock);
    const of = (bytes: number) => {
      const text = JSON.stringify({ events: [], pad: '' });
      return text.replace('""', `"${'x'.repeat(bytes - text.length)}"`);
    };
    const post = (body: string) => fetch('http://main.mock/api/campaigns/cmp-42-001/events', { method: 'POST', body });
    // Exactly the limit: read, then refused for its unknown field (a 400, not a 413).
    const atLimit = await post(of(200));
    expect([atLimit.status, (await atLimit.json()).error]).toEqual([400, '(root): unknown field pad']);
    const over = await post(of(201));
    expect([over.status, (await over.json()).error]).toEqual([
      413,
      'body: expected at most 200 bytes (the body limit), got more',
    ]);
  });

  it('refuses a body whose Content-Length is over the limit before reading any of it', async () => {
    const mock = createMockServer({ bodyLimitBytes: 1000 });
    server = await listenHttp(mock);
    const response = await fetch(`${server.url}/api/campaigns/cmp-42-001/events`, {
      method: 'POST',
      body: JSON.stringify({ events: [], pad: 'x'.repeat(2000) }),
    });
    expect(response.status).toBe(413);
    expect(mock.state.log[0]).toMatchObject({ status: 413, bytes: 0 });
  });

  it('comes before any fault, and leaves the injected 413 (maxBodyBytes) working below it', async () => {
    const mock = createMockServer({ bodyLimitBytes: 1000, faults: { throttleRate: 1 } });
    stop = startInProcess(mock);
    const post = (bytes: number) =>
      fetch('http://main.mock/api/campaigns/cmp-42-001/events', { method: 'POST', body: ' '.repeat(bytes) });
    expect((await post(1001)).status).toBe(413);
    expect((await post(10)).status).toBe(429);
    mock.setFaults({ maxBodyBytes: 100 });
    const injected = await post(101);
    expect([injected.status, (await injected.json()).error]).toEqual([413, 'too large']);
    expect(mock.state.log.map((e) => e.fault)).toEqual([undefined, 'throttle 429', 'too large']);
  });

  it('is an option checked where it enters', () => {
    expect(() => createMockServer({ bodyLimitBytes: 0 })).toThrow(
      new RangeError('Expected `bodyLimitBytes` to be an integer >= 1, got `0` (number)'),
    );
    expect(() => createMockServer({ bodyLimitBytes: '1mb' as never })).toThrow(
      new TypeError('Expected `bodyLimitBytes` to be an integer >= 1, got `1mb` (string)'),
    );
    expect(createMockServer().bodyLimitBytes).toBe(1_048_576);
  });
});
