import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchEncodingError } from '../errors/BatchEncodingError.js';
import type { Batch, RecipientEvent } from '../types.js';
import { createHttpTransport } from './http.js';
import { serverPerTest, startTestServer, twoCampaigns } from './test-server.js';

const server = serverPerTest();
afterEach(() => {
  vi.restoreAllMocks();
});

const send = (batch: Batch = twoCampaigns, options = {}) =>
  createHttpTransport({ baseUrl: server.url, ...options })(batch, { signal: server.signal });
const answer = (status: number, headers: Record<string, string>, body: string) => (_: unknown, res: ServerResponse) =>
  res.writeHead(status, headers).end(body);
const json = { 'content-type': 'application/json' };

describe('createHttpTransport (bulk)', () => {
  it('posts the batch to /api/updates with its Idempotency-Key and the extra headers', async () => {
    const transport = createHttpTransport({ baseUrl: server.url, headers: { authorization: 'Bearer t' } });
    expect(transport.shape).toBe('bulk');
    await expect(transport(twoCampaigns, { signal: server.signal })).resolves.toEqual({ status: 200 });
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request).toMatchObject({
      method: 'POST',
      url: '/api/updates',
      headers: { 'idempotency-key': 'b-1', authorization: 'Bearer t', 'content-type': 'application/json' },
    });
    expect(JSON.parse(request!.text)).toEqual({ workerId: 'w1', batchId: 'b-1', campaigns: twoCampaigns.campaigns });
  });

  it('posts under the path of a base URL that has one', async () => {
    await send(twoCampaigns, { baseUrl: `${server.url}/main/v1` });
    expect(server.received.map((r) => r.url)).toEqual(['/main/v1/api/updates']);
  });

  it('reads per-campaign control from the answer', async () => {
    const control = [
      { campaignId: 'c1', state: 'paused' },
      { campaignId: 'c2', state: 'cancelled' },
    ];
    server.reply = answer(200, json, JSON.stringify({ accepted: 1, duplicate: false, control }));
    await expect(send()).resolves.toEqual({ status: 200, control });
  });

  it.each([
    ['a repeat', '{"accepted":0,"duplicate":true}'],
    ['all events', '{"accepted":1,"duplicate":false}'],
    ['an empty control', '{"accepted":1,"duplicate":false,"control":[]}'],
  ])('acknowledges the contract’s answer: %s', async (_, body) => {
    server.reply = answer(200, json, body);
    await expect(send()).resolves.toEqual({ status: 200 });
  });

  it.each([
    [
      'an HTML page',
      200,
      { 'content-type': 'text/html' },
      '<!doctype html>\n<title>Sign in</title>',
      /not JSON \(content-type text\/html\); body "<!doctype html> <title>Sign in<\/title>"/,
    ],
    ['text', 200, { 'content-type': 'text/plain' }, 'OK', /not JSON \(content-type text\/plain\); body "OK"/],
    ['an empty body', 200, {}, '', /an empty body \(no content-type\)$/],
    ['a 204', 204, {}, '', /^204 answer .*: an empty body/],
    [
      'accepted: false',
      200,
      json,
      '{"accepted":false}',
      /`accepted` must be an integer from 0 to 1 \(the batch's events\), got false; body "\{\\"accepted\\":false\}"/,
    ],
    [
      'accepted above the batch',
      200,
      json,
      '{"accepted":2,"duplicate":false}',
      /`accepted` must be an integer from 0 to 1 .*got 2/,
    ],
    ['a negative accepted', 200, json, '{"accepted":-1,"duplicate":false}', /got -1/],
    ['a fractional accepted', 200, json, '{"accepted":0.5,"duplicate":false}', /got 0.5/],
    ['no duplicate', 200, json, '{"accepted":1}', /`duplicate` must be a boolean, got nothing/],
    ['an unknown key', 200, json, '{"accepted":1,"duplicate":false,"ok":true}', /unknown key `ok`/],
    ['an array', 200, json, '[{"accepted":1,"duplicate":false}]', /a JSON array, not an object/],
    ['null', 200, json, 'null', /a JSON null, not an object/],
    ['control not an array', 200, json, '{"accepted":1,"duplicate":false,"control":{}}', /`control` must be an array/],
    [
      'a control state it does not know',
      200,
      json,
      '{"accepted":1,"duplicate":false,"control":[{"campaignId":"c1","state":"weird"}]}',
      /`control\[0\].state` must be running, paused or cancelled, got "weird"/,
    ],
    [
      'a control without campaign',
      200,
      json,
      '{"accepted":1,"duplicate":false,"control":[{"state":"paused"}]}',
      /`control\[0\].campaignId` must be a non-empty string/,
    ],
    [
      'a control entry with more',
      200,
      json,
      '{"accepted":1,"duplicate":false,"control":[{"campaignId":"c1","state":"paused","why":"x"}]}',
      /unknown key `control\[0\].why`/,
    ],
  ])('does not take %s for an acknowledgement', async (_, status, headers, body, reason) => {
    server.reply = answer(status, headers, body);
    const result = await send();
    expect(result).toEqual({ status, notAcknowledged: expect.stringMatching(reason) });
    expect(result.notAcknowledged).toMatch(new RegExp(`^${status} answer is not the contract's bulk answer`));
  });

  it('cuts the excerpt of a long body short', async () => {
    server.reply = answer(200, { 'content-type': 'text/html' }, `<html>${'x'.repeat(5000)}</html>`);
    const { notAcknowledged } = await send();
    expect(notAcknowledged).toMatch(/body "<html>x+…"$/);
    expect(notAcknowledged!.length).toBeLessThan(300);
  });

  it('stops reading an answer bigger than 1 MiB, which is not an acknowledgement', async () => {
    // 1.5 MiB and the answer never ends: reading it in full would wait for ever.
    server.reply = (_, res) => {
      res.writeHead(200, json);
      res.write(`{"accepted":1,"duplicate":false,"pad":"${'x'.repeat(1_572_864)}`);
    };
    await expect(send()).resolves.toEqual({
      status: 200,
      notAcknowledged: '200 answer body larger than 1048576 bytes',
    });
  });

  it('does not read an answer that declares more than 1 MiB', async () => {
    server.reply = (_, res) => {
      res.writeHead(200, { ...json, 'content-length': String(2 * 1_048_576) });
      res.write('{"accepted":1,"duplicate":false}');
    };
    await expect(send()).resolves.toEqual({
      status: 200,
      notAcknowledged: '200 answer body larger than 1048576 bytes',
    });
  });

  it('reads Retry-After in seconds and as an HTTP date', async () => {
    server.reply = answer(429, { 'retry-after': '7' }, '');
    await expect(send()).resolves.toEqual({ status: 429, retryAfterMs: 7000 });
    const now = Date.parse('2026-11-28T10:00:00Z');
    vi.spyOn(Date, 'now').mockReturnValue(now);
    server.reply = answer(503, { 'retry-after': new Date(now + 60_000).toUTCString() }, 'down for maintenance');
    await expect(send()).resolves.toEqual({ status: 503, retryAfterMs: 60_000, message: 'down for maintenance' });
  });

  it('ignores a Retry-After it cannot read', async () => {
    server.reply = answer(503, { 'retry-after': '1e9' }, '');
    await expect(send()).resolves.toEqual({ status: 503 });
  });

  it('carries the server’s error message of a refusal', async () => {
    const error = 'campaigns[0].events[0].outcome: expected one of sent|failed|bounced|skipped, got "ok"';
    server.reply = answer(400, json, JSON.stringify({ error }));
    await expect(send()).resolves.toEqual({ status: 400, message: error });
    server.reply = answer(500, json, JSON.stringify({ message: 'database down' }));
    await expect(send()).resolves.toEqual({ status: 500, message: 'database down' });
    server.reply = answer(502, { 'content-type': 'text/html' }, `<h1>Bad gateway</h1>${'x'.repeat(1000)}`);
    const result = await send();
    expect(result.message).toHaveLength(500);
    expect(result.message).toMatch(/^<h1>Bad gateway<\/h1>x+$/);
  });

  it('aborts a request past timeoutMs, and when the caller’s signal aborts', async () => {
    server.reply = () => undefined; // never answers
    await expect(send(twoCampaigns, { timeoutMs: 50 })).rejects.toThrow(/no answer within 50 ms/);
    const controller = new AbortController();
    const pending = createHttpTransport({ baseUrl: server.url })(twoCampaigns, { signal: controller.signal });
    controller.abort(new Error('closing'));
    await expect(pending).rejects.toThrow('closing');
  });

  it('sends nothing when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('closed before'));
    const transport = createHttpTransport({ baseUrl: server.url });
    await expect(transport(twoCampaigns, { signal: controller.signal })).rejects.toThrow('closed before');
    expect(server.received).toEqual([]);
  });

  it('rejects on a network failure', async () => {
    const closed = await startTestServer();
    await closed.close();
    await expect(send(twoCampaigns, { baseUrl: closed.url })).rejects.toThrow();
  });

  it('refuses a batch id that cannot be an Idempotency-Key, before any request', async () => {
    await expect(send({ ...twoCampaigns, batchId: 'b 1\r\n' })).rejects.toMatchObject({
      name: 'BatchEncodingError',
      cause: { message: expect.stringMatching(/^Expected `batch.batchId` to be 1 to 200 printable ASCII characters/) },
    });
    expect(server.received).toEqual([]);
  });
});

describe('createHttpTransport (encoding)', () => {
  const circular: Record<string, unknown> = { recipientId: 'r2', outcome: 'sent', at: '2026-11-28T10:00:00.000Z' };
  circular.self = circular;
  const withEvent = (campaignId: string, event: unknown): Batch['campaigns'][number] => ({
    campaignId,
    events: [event as RecipientEvent],
  });

  it('throws BatchEncodingError naming the campaign of a circular event, before any request', async () => {
    const batch = { ...twoCampaigns, campaigns: [...twoCampaigns.campaigns, withEvent('c3', circular)] };
    const error = await send(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchEncodingError);
    expect(error).toMatchObject({
      campaignIds: ['c3'],
      message: expect.stringMatching(/^Cannot encode .*"c3".*circular/),
    });
    expect(server.received).toEqual([]);
  });

  it('names every campaign a BigInt is in', async () => {
    const big = { recipientId: 'r', outcome: 'sent', at: 'x', messageId: 10n };
    const batch = {
      ...twoCampaigns,
      campaigns: [withEvent('a', big), twoCampaigns.campaigns[0]!, withEvent('b', big)],
    };
    await expect(send(batch)).rejects.toMatchObject({
      campaignIds: ['a', 'b'],
      message: expect.stringMatching(/BigInt/),
    });
    expect(server.received).toEqual([]);
  });

  it('refuses a legacy status that encodes to something other than an object', async () => {
    const status = { ...twoCampaigns.campaigns[1]!.status!, toJSON: () => undefined };
    const batch = { ...twoCampaigns, campaigns: [{ campaignId: 'c9', events: [], status }] };
    await expect(send(batch, { shape: 'legacy' })).rejects.toMatchObject({
      name: 'BatchEncodingError',
      campaignIds: ['c9'],
      message: expect.stringMatching(/gave nothing where a JSON object was expected/),
    });
    expect(server.received).toEqual([]);
  });

  it('names all the campaigns when none fails alone', async () => {
    const batch = { ...twoCampaigns, workerId: 1n as unknown as string };
    await expect(send(batch)).rejects.toMatchObject({ campaignIds: ['c1', 'c2'] });
  });
});
