import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isBatchEncodingError } from '../errors/BatchEncodingError.js';
import type { Batch } from '../types.js';
import { createHttpTransport, type LegacyUrls } from './http.js';
import { serverPerTest, twoCampaigns } from './test-server.js';

// What the mock main server answers a legacy write.
const server = serverPerTest({
  reply: (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1,"duplicate":false}'),
});

const events: Batch = { batchId: 'b-2', workerId: 'w1', campaigns: [twoCampaigns.campaigns[0]!] };
const status: Batch = { batchId: 'b-3', workerId: 'w1', campaigns: [twoCampaigns.campaigns[1]!] };
const send = (batch: Batch, urls?: LegacyUrls) =>
  createHttpTransport({ baseUrl: server.url, shape: 'legacy', ...(urls ? { urls } : {}) })(batch, {
    signal: server.signal,
  });
const answer = (code: number, headers: Record<string, string>, body: string) => (_: unknown, res: ServerResponse) =>
  res.writeHead(code, headers).end(body);
const json = { 'content-type': 'application/json' };

describe('createHttpTransport (legacy)', () => {
  it('posts events and puts a status to the legacy endpoints, one kind a request', async () => {
    const transport = createHttpTransport({ baseUrl: server.url, shape: 'legacy' });
    expect(transport.shape).toBe('legacy');
    await expect(transport(events, { signal: server.signal })).resolves.toEqual({ status: 200 });
    await expect(transport(status, { signal: server.signal })).resolves.toEqual({ status: 200 });
    expect(server.received.map((r) => [r.method, r.url, r.headers['idempotency-key'], JSON.parse(r.text)])).toEqual([
      ['POST', '/api/campaigns/c1/events', 'b-2', { events: twoCampaigns.campaigns[0]!.events }],
      ['PUT', '/api/campaigns/c2/status', 'b-3', twoCampaigns.campaigns[1]!.status],
    ]);
    await expect(transport(twoCampaigns, { signal: server.signal })).rejects.toThrow(
      'one campaign with events or a status',
    );
    const both = {
      ...events,
      campaigns: [{ ...twoCampaigns.campaigns[0]!, status: twoCampaigns.campaigns[1]!.status! }],
    };
    await expect(transport(both, { signal: server.signal })).rejects.toThrow('not both');
    expect(server.received).toHaveLength(2);
  });

  it('escapes the campaign id in the default URLs', async () => {
    await send({ ...events, campaigns: [{ ...events.campaigns[0]!, campaignId: 'a/b c' }] });
    expect(server.received.map((r) => r.url)).toEqual(['/api/campaigns/a%2Fb%20c/events']);
  });

  it('takes the endpoints where a server mounts them, relative to a base URL with a path', async () => {
    const transport = createHttpTransport({
      baseUrl: `${server.url}/v1`,
      shape: 'legacy',
      urls: { events: (id) => `campaign/${id}/outcomes`, status: (id) => `${server.url}/internal/${id}/state` },
    });
    await transport(events, { signal: server.signal });
    await transport(status, { signal: server.signal });
    expect(server.received.map((r) => r.url)).toEqual(['/v1/campaign/c1/outcomes', '/internal/c2/state']);
  });

  it.each([
    [
      'an ftp URL',
      'ftp://files.example.com/c1',
      'Expected `urls.events` to return a relative or http(s) URL, got `"ftp://files.example.com/c1"` (string)',
    ],
    ['a number', 42, 'Expected `urls.events` to return a relative or http(s) URL, got `42` (number)'],
    ['an empty string', '', 'Expected `urls.events` to return a relative or http(s) URL, got `""` (string)'],
    [
      'a URL with credentials',
      'http://u:secret@127.0.0.1/x',
      'Expected `urls.events` to return a URL without user name or password, got 127.0.0.1 with them',
    ],
  ])('refuses a urls.events result that is %s, before any request', async (_, url, message) => {
    const error = await send(events, { events: () => url as string }).catch((e: unknown) => e);
    // Not a network failure to retry: a batch that cannot be written, which the scheduler dead-letters.
    expect(isBatchEncodingError(error)).toBe(true);
    expect(error).toHaveProperty('cause.message', message);
    expect(error).toHaveProperty('campaignIds', [expect.any(String)]);
    expect(server.received).toEqual([]);
  });

  it('names urls.status when its result is refused', async () => {
    await expect(send(status, { status: () => 'javascript:alert(1)' })).rejects.toThrow(
      'Expected `urls.status` to return a relative or http(s) URL, got `"javascript:alert(1)"` (string)',
    );
  });

  it.each([
    ['a 204', 204, {}, ''],
    ['the mock server’s answer', 200, json, '{"accepted":3,"duplicate":false}'],
    ['a repeat', 200, json, '{"accepted":0,"duplicate":true}'],
    ['an empty object', 201, json, '{}'],
    ['ok: true', 200, json, '{"ok":true}'],
    ['a null error', 200, json, '{"ok":true,"error":null}'],
    ['JSON sent as text', 200, { 'content-type': 'text/plain' }, '{"saved":true}'],
    ['a 202', 202, {}, '{"queued":1}'],
  ])('acknowledges %s', async (_, code, headers, body) => {
    server.reply = answer(code, headers, body);
    await expect(send(events)).resolves.toEqual({ status: code });
  });

  it.each([
    [
      'an HTML page',
      200,
      { 'content-type': 'text/html; charset=utf-8' },
      '<html><body>Login</body></html>',
      /an HTML page \(content-type text\/html\); body "<html><body>Login<\/body><\/html>"$/,
    ],
    ['JSON labelled HTML', 200, { 'content-type': 'text/html' }, '{"accepted":1}', /an HTML page/],
    [
      'an XHTML page',
      200,
      { 'content-type': 'application/xhtml+xml' },
      '<html/>',
      /an HTML page \(content-type application\/xhtml\+xml\)/,
    ],
    ['HTML without a content-type', 200, {}, '<!doctype html><p>hi</p>', /not JSON \(no content-type\)/],
    ['text', 200, { 'content-type': 'text/plain' }, 'OK', /not JSON \(content-type text\/plain\); body "OK"$/],
    ['an empty 200', 200, {}, '', /an empty body \(no content-type\)$/],
    ['accepted: false', 200, json, '{"accepted":false}', /it says `accepted: false`/],
    ['ok: false', 200, json, '{"ok":false,"reason":"locked"}', /it says `ok: false`/],
    ['success: false', 200, json, '{"success":false}', /it says `success: false`/],
    ['an error', 200, json, '{"error":"campaign not found"}', /it carries `error`: "campaign not found"/],
    ['an error object', 200, json, '{"error":{"code":7}}', /it carries `error`: \{"code":7\}/],
    ['a JSON string', 200, json, '"ok"', /a JSON string, not an object/],
    ['a JSON true', 200, json, 'true', /a JSON boolean, not an object/],
    ['an array', 200, json, '[]', /a JSON array, not an object/],
  ])('does not take %s for an acknowledgement', async (_, code, headers, body, reason) => {
    server.reply = answer(code, headers, body);
    const result = await send(events);
    expect(result).toEqual({ status: code, notAcknowledged: expect.stringMatching(reason) });
    expect(result.notAcknowledged).toMatch(
      /^200 answer is not a legacy acknowledgement \(a 204, or a JSON object that does not say it failed\): /,
    );
  });

  it('does not take a huge answer for an acknowledgement', async () => {
    server.reply = (_, res) => res.writeHead(200, json).end(`{"pad":"${'x'.repeat(1_100_000)}"}`);
    await expect(send(status)).resolves.toEqual({
      status: 200,
      notAcknowledged: '200 answer body larger than 1048576 bytes',
    });
  });

  it('carries the message of a refusal, such as a stale status', async () => {
    server.reply = answer(409, json, '{"error":"seq: expected above 4, got 3 (stale status)"}');
    await expect(send(status)).resolves.toEqual({
      status: 409,
      message: 'seq: expected above 4, got 3 (stale status)',
    });
  });
});
