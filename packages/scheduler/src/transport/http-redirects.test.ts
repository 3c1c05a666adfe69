import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHttpTransport } from './http.js';
import { acknowledge, type Received, serverPerTest, twoCampaigns } from './test-server.js';

const server = serverPerTest();
const other = serverPerTest();

const headers = { authorization: 'Bearer t', 'x-worker-key': 'k' };
const send = (shape: 'bulk' | 'legacy' = 'bulk', batch = twoCampaigns) =>
  createHttpTransport({ baseUrl: server.url, shape, headers })(batch, { signal: server.signal });
/** Redirects every request to `to(request)` with `status`; the rest is acknowledged. */
const redirect =
  (status: number, to: (request: Received) => string | undefined) => (request: Received, res: ServerResponse) => {
    const location = to(request);
    if (location === undefined) return acknowledge(request, res);
    res.writeHead(status, { location, 'content-type': 'text/html' }).end('<a href="elsewhere">moved</a>');
  };

describe('createHttpTransport redirects', () => {
  it.each([301, 302, 303])('does not follow a %i: not delivered, naming the Location', async (status) => {
    server.reply = redirect(status, (r) => (r.url === '/api/updates' ? '/login?next=%2Fapi%2Fupdates' : undefined));
    await expect(send()).resolves.toEqual({
      status,
      notAcknowledged: `redirected to ${server.url}/login?next=%2Fapi%2Fupdates by a ${status}: a POST or PUT moved by it is not delivered (only 307 and 308 keep the method and body)`,
    });
    expect(server.received).toHaveLength(1);
  });

  it.each([300, 304])('takes a %i for no acknowledgement', async (status) => {
    server.reply = redirect(status, (r) => (r.url === '/api/updates' ? '/elsewhere' : undefined));
    await expect(send()).resolves.toMatchObject({
      status,
      notAcknowledged: expect.stringMatching(new RegExp(`^redirected to .*/elsewhere by a ${status}`)),
    });
  });

  it('follows a 307 with the same method, body and headers, and reads the final answer', async () => {
    server.reply = redirect(307, (r) => (r.url === '/api/updates' ? '/v2/updates' : undefined));
    await expect(send()).resolves.toEqual({ status: 200 });
    const [first, second] = server.received;
    expect(server.received.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/api/updates'],
      ['POST', '/v2/updates'],
    ]);
    expect(second!.text).toBe(first!.text);
    expect(second!.headers).toMatchObject({ ...headers, 'idempotency-key': 'b-1', 'content-type': 'application/json' });
  });

  it('follows a 308 of a legacy status PUT, and applies the legacy rule to the final answer', async () => {
    server.reply = redirect(308, (r) => (r.url.startsWith('/api/') ? `/moved${r.url}` : undefined));
    const status = { ...twoCampaigns, campaigns: [twoCampaigns.campaigns[1]!] };
    await expect(send('legacy', status)).resolves.toEqual({ status: 200 });
    expect(server.received.map((r) => [r.method, r.url, JSON.parse(r.text)])).toEqual([
      ['PUT', '/api/campaigns/c2/status', twoCampaigns.campaigns[1]!.status],
      ['PUT', '/moved/api/campaigns/c2/status', twoCampaigns.campaigns[1]!.status],
    ]);
  });

  it('reads the final answer of a followed redirect as strictly as any', async () => {
    server.reply = (request, res) =>
      request.url === '/api/updates'
        ? res.writeHead(307, { location: '/portal' }).end()
        : res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Welcome</p>');
    await expect(send()).resolves.toEqual({
      status: 200,
      notAcknowledged: expect.stringMatching(/not JSON \(content-type text\/html\)/),
    });
  });

  it('drops the caller’s headers on a redirect to another origin, keeping its own', async () => {
    other.reply = redirect(307, () => `${server.url}/back`);
    server.reply = redirect(307, (r) => (r.url === '/api/updates' ? `${other.url}/api/updates` : undefined));
    await expect(send()).resolves.toEqual({ status: 200 });
    const [there] = other.received;
    const back = server.received[1]!;
    expect(back.url).toBe('/back');
    for (const request of [there!, back]) {
      expect(request.headers).toMatchObject({ 'idempotency-key': 'b-1', 'content-type': 'application/json' });
      expect(request.headers).not.toHaveProperty('authorization');
      expect(request.headers).not.toHaveProperty('x-worker-key');
    }
  });

  it('stops at a redirect loop', async () => {
    server.reply = redirect(307, (r) => (r.url === '/api/updates' ? '/b' : '/api/updates'));
    await expect(send()).resolves.toEqual({
      status: 307,
      notAcknowledged: `a redirect loop: a 307 back to ${server.url}/api/updates after 1 redirect(s)`,
    });
    expect(server.received.map((r) => r.url)).toEqual(['/api/updates', '/b']);
  });

  it('follows at most 5 redirects', async () => {
    server.reply = redirect(308, (r) => `/hop/${server.received.indexOf(r) + 1}`);
    await expect(send()).resolves.toEqual({
      status: 308,
      notAcknowledged: `more than 5 redirects: a 308 to ${server.url}/hop/6, not followed`,
    });
    expect(server.received).toHaveLength(6);
  });

  it('acknowledges after exactly 5 redirects', async () => {
    server.reply = redirect(307, (r) => {
      const hop = server.received.indexOf(r) + 1;
      return hop <= 5 ? `/hop/${hop}` : undefined;
    });
    await expect(send()).resolves.toEqual({ status: 200 });
    expect(server.received).toHaveLength(6);
  });

  it.each([
    ['nowhere', undefined, /^a 307 redirect to nowhere \(no Location header\)/],
    [
      'an ftp URL',
      'ftp://files.example.com/x',
      /^a 307 redirect to ftp:\/\/files.example.com\/x, which is not http or https$/,
    ],
    ['a URL with credentials', 'http://u:p@127.0.0.1:1/', /^a 307 redirect to a URL with a user name or password/],
    ['an invalid URL', 'http://[::1', /^a 307 redirect to "http:\/\/\[::1", which is not a URL to follow$/],
  ])('does not follow a 307 to %s', async (_, location, reason) => {
    server.reply = (_r, res) => res.writeHead(307, location === undefined ? {} : { location }).end();
    await expect(send()).resolves.toEqual({ status: 307, notAcknowledged: expect.stringMatching(reason) });
    expect(server.received).toHaveLength(1);
  });
});
