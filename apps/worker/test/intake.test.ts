import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isIntakeError } from '../src/errors/IntakeError.js';
import { readyCampaigns } from '../src/intake.js';
import { closedPort } from './helpers.js';

// Real sockets: each failure is the one a worker meets in production, not a stub of it. No wait between attempts.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const servers: Array<{ close(): unknown }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function intakeFailure(serverUrl: string, timeoutMs = 5_000) {
  const retries: string[] = [];
  const error = await readyCampaigns(serverUrl, {
    signal: new AbortController().signal,
    onRetry: (notice) => retries.push(notice),
    retryDelaysMs: [0, 0],
    timeoutMs,
  }).catch((e: unknown) => e);
  if (!isIntakeError(error)) throw new Error(`expected an IntakeError, got ${String(error)}`);
  return { message: error.message, retries };
}

describe('readyCampaigns', () => {
  it('names the URL and ECONNREFUSED when nothing listens, and tells each retry', async () => {
    const port = await closedPort();
    const { message, retries } = await intakeFailure(`http://127.0.0.1:${port}`);
    const url = `http://127.0.0.1:${port}/api/campaigns?state=ready`;
    expect(message).toBe(`GET ${url}: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(retries).toEqual([
      `GET ${url}: connect ECONNREFUSED 127.0.0.1:${port}; attempt 1 of 3, next in 0s`,
      `GET ${url}: connect ECONNREFUSED 127.0.0.1:${port}; attempt 2 of 3, next in 0s`,
    ]);
  });

  it('says why fetch refuses a port without trying it (port 1 is one of its "bad ports")', async () => {
    const { message } = await intakeFailure('http://127.0.0.1:1');
    expect(message).toBe(
      'GET http://127.0.0.1:1/api/campaigns?state=ready: bad port (fetch never connects to this port)',
    );
  });

  it('names a host that DNS does not know', async () => {
    const { message } = await intakeFailure('http://no-such-host.invalid');
    expect(message).toMatch(/^GET http:\/\/no-such-host\.invalid\/api\/campaigns\?state=ready: getaddrinfo E\w+/);
  });

  it('names a TLS certificate the worker does not trust', async () => {
    const port = await listen(
      createHttpsServer({ key: fixture('self-signed.key'), cert: fixture('self-signed.crt') }, (_, res) => res.end()),
    );
    const { message } = await intakeFailure(`https://localhost:${port}`);
    expect(message).toBe(
      `GET https://localhost:${port}/api/campaigns?state=ready: DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate`,
    );
  });

  it('gives up on a server that takes the connection and never answers, saying it timed out', async () => {
    const port = await listen(createHttpServer(() => undefined));
    const { message, retries } = await intakeFailure(`http://127.0.0.1:${port}`, 200);
    expect(message).toBe(`GET http://127.0.0.1:${port}/api/campaigns?state=ready: no answer within 0.2s (timeout)`);
    expect(retries).toHaveLength(2);
  });

  it('names an HTTP error status, and does not retry a 404', async () => {
    const port = await listen(
      createHttpServer((_, res) => {
        res.statusCode = 404;
        res.end();
      }),
    );
    const { message, retries } = await intakeFailure(`http://127.0.0.1:${port}`);
    expect(message).toBe(`GET http://127.0.0.1:${port}/api/campaigns?state=ready: HTTP 404`);
    expect(retries).toEqual([]);
  });
});
