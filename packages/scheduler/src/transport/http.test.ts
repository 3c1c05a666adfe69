import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Batch } from '../types.js';
import { createHttpTransport } from './http.js';
import { parseRetryAfter } from './retry-after.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let reply: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: body ? JSON.parse(body) : undefined,
      });
      reply(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen.length = 0;
  reply = (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1,"duplicate":false}');
});

const at = '2026-11-28T10:00:00.000Z';
const batch: Batch = {
  batchId: 'b-1',
  workerId: 'w1',
  campaigns: [
    { campaignId: 'c1', events: [{ recipientId: 'r1', outcome: 'sent', at }] },
    { campaignId: 'c2', events: [], status: { state: 'running', sent: 1, failed: 0, total: 9, seq: 3, updatedAt: at } },
  ],
};
const signal = () => new AbortController().signal;

describe('createHttpTransport (bulk)', () => {
  it('posts the batch to /api/updates with its Idempotency-Key and the extra headers', async () => {
    const transport = createHttpTransport({ baseUrl, headers: { authorization: 'Bearer t' } });
    expect(transport.shape).toBe('bulk');
    await expect(transport(batch, { signal: signal() })).resolves.toEqual({ status: 200 });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/api/updates',
        headers: expect.objectContaining({
          'idempotency-key': 'b-1',
          authorization: 'Bearer t',
          'content-type': 'application/json',
        }),
        body: { workerId: 'w1', batchId: 'b-1', campaigns: batch.campaigns },
      },
    ]);
  });

  it('reads per-campaign control from the answer', async () => {
    reply = (_req, res) =>
      res.writeHead(200).end(
        JSON.stringify({
          accepted: 1,
          duplicate: false,
          control: [
            { campaignId: 'c1', state: 'paused' },
            { campaignId: 'c2', state: 'weird' },
          ],
        }),
      );
    const result = await createHttpTransport({ baseUrl })(batch, { signal: signal() });
    expect(result).toEqual({ status: 200, control: [{ campaignId: 'c1', state: 'paused' }] });
  });

  it('reads Retry-After in seconds and as an HTTP date', async () => {
    reply = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end();
    await expect(createHttpTransport({ baseUrl })(batch, { signal: signal() })).resolves.toEqual({
      status: 429,
      retryAfterMs: 7000,
    });
    const date = new Date(Date.now() + 60_000).toUTCString();
    reply = (_req, res) => res.writeHead(503, { 'retry-after': date }).end('down for maintenance');
    const result = await createHttpTransport({ baseUrl })(batch, { signal: signal() });
    expect(result.status).toBe(503);
    expect(result.retryAfterMs).toBeGreaterThan(55_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(result.message).toBe('down for maintenance');
  });

  it('carries the server’s error message of a refusal', async () => {
    reply = (_req, res) =>
      res.writeHead(400).end(
        JSON.stringify({
          error: 'campaigns[0].events[0].outcome: expected one of sent|failed|bounced|skipped, got "ok"',
        }),
      );
    await expect(createHttpTransport({ baseUrl })(batch, { signal: signal() })).resolves.toEqual({
      status: 400,
      message: 'campaigns[0].events[0].outcome: expected one of sent|failed|bounced|skipped, got "ok"',
    });
  });

  it('aborts a request past timeoutMs, and when the caller’s signal aborts', async () => {
    reply = () => undefined; // never answers
    await expect(createHttpTransport({ baseUrl, timeoutMs: 50 })(batch, { signal: signal() })).rejects.toThrow(
      /no answer within 50 ms/,
    );
    const controller = new AbortController();
    const pending = createHttpTransport({ baseUrl })(batch, { signal: controller.signal });
    controller.abort(new Error('closing'));
    await expect(pending).rejects.toThrow('closing');
  });

  it('rejects on a network failure', async () => {
    await expect(createHttpTransport({ baseUrl: 'http://127.0.0.1:1' })(batch, { signal: signal() })).rejects.toThrow();
  });
});

describe('createHttpTransport (legacy)', () => {
  it('posts events and puts a status to the legacy endpoints, one kind a request', async () => {
    const transport = createHttpTransport({ baseUrl, shape: 'legacy' });
    const events = { batchId: 'b-2', workerId: 'w1', campaigns: [batch.campaigns[0]!] };
    const status = { batchId: 'b-3', workerId: 'w1', campaigns: [batch.campaigns[1]!] };
    await transport(events, { signal: signal() });
    await transport(status, { signal: signal() });
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/api/campaigns/c1/events', { events: batch.campaigns[0]!.events }],
      ['PUT', '/api/campaigns/c2/status', batch.campaigns[1]!.status],
    ]);
    await expect(transport(batch, { signal: signal() })).rejects.toThrow('one campaign with events or a status');
  });

  it('takes the endpoints where a server mounts them, relative to a base URL with a path', async () => {
    const transport = createHttpTransport({
      baseUrl: `${baseUrl}/v1`,
      shape: 'legacy',
      urls: { events: (id) => `campaign/${id}/outcomes`, status: (id) => `${baseUrl}/internal/${id}/state` },
    });
    await transport({ batchId: 'b', workerId: 'w', campaigns: [batch.campaigns[0]!] }, { signal: signal() });
    await transport({ batchId: 'b', workerId: 'w', campaigns: [batch.campaigns[1]!] }, { signal: signal() });
    expect(seen.map((s) => s.url)).toEqual(['/v1/campaign/c1/outcomes', '/internal/c2/state']);
  });
});

describe('createHttpTransport options', () => {
  it.each([
    [{}, 'Expected `baseUrl` to be an absolute URL, got `undefined` (undefined)'],
    [{ baseUrl: 'main-server' }, 'Expected `baseUrl` to be an absolute URL, got `"main-server"` (string)'],
    [{ baseUrl: 'http://x', shape: 'batch' }, 'Expected `shape` to be "bulk" or "legacy", got `"batch"` (string)'],
    [{ baseUrl: 'http://x', timeoutMs: 0 }, 'Expected `timeoutMs` to be a finite number >= 1, got `0` (number)'],
    [{ baseUrl: 'http://x', urls: { events: '/e' } }, 'Expected `urls.events` to be a function'],
    [{ baseUrl: 'http://x', headers: { 'x-n': 1 } }, 'Expected `headers.x-n` to be a string'],
    [{ baseUrl: 'http://x', timeout: 5 }, 'Unknown option `timeout`'],
  ])('refuses %o', (options, message) => {
    expect(() => createHttpTransport(options as never)).toThrow(message);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T10:00:00Z');
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Sat, 28 Nov 2026 10:01:00 GMT', 60_000],
    ['Sat, 28 Nov 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('reads %s as %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
