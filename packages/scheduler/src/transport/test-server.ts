import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import type { Batch } from '../types.js';

/** A request as the test server received it. */
export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as sent. */
  readonly text: string;
}

/** A real HTTP server on 127.0.0.1 whose answer each test scripts, for the transport's tests (not published). */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request so far, in order. */
  readonly received: Received[];
  /** Answers a request once its body has arrived; replace it per test. */
  reply: (request: Received, response: ServerResponse) => void;
  /** Stops the server, cutting the connections still open. */
  close(): Promise<void>;
}

/** Answers with the contract's bulk acknowledgement of one event. */
export const acknowledge = (_request: Received, response: ServerResponse) =>
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1,"duplicate":false}');

/** Starts a {@link TestServer} on a free port of 127.0.0.1. */
export async function startTestServer(): Promise<TestServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        text: Buffer.concat(chunks).toString('utf8'),
      };
      test.received.push(request);
      test.reply(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const test: TestServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: [],
    reply: acknowledge,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return test;
}

/** The {@link TestServer} of the test running, and the signal its requests go with. */
export interface ServerOfTest extends TestServer {
  readonly signal: AbortSignal;
}

/**
 * A fresh {@link TestServer} for each test of the file, on a port of its own, started before the test and closed
 * after it (its connections cut). `signal`, a test's own too, aborts when the test ends: a request the test left
 * behind (a retry still to come) is never sent, and nothing it sent can reach the next test's server or log.
 */
export function serverPerTest({ reply = acknowledge }: { reply?: TestServer['reply'] } = {}): ServerOfTest {
  let server: TestServer | undefined;
  let test = new AbortController();
  beforeEach(async () => {
    test = new AbortController();
    server = await startTestServer();
    server.reply = reply;
  });
  afterEach(async () => {
    test.abort(new Error('the test that sent this request has ended'));
    await server?.close();
    server = undefined;
  });
  const now = () => {
    if (server === undefined) throw new Error('serverPerTest(): no test is running');
    return server;
  };
  return {
    get url() {
      return now().url;
    },
    get received() {
      return now().received;
    },
    get reply() {
      return now().reply;
    },
    set reply(answer) {
      now().reply = answer;
    },
    get signal() {
      return test.signal;
    },
    close: () => now().close(),
  };
}

const at = '2026-11-28T10:00:00.000Z';

/** Two campaigns: c1 with one event, c2 with a status. */
export const twoCampaigns: Batch = {
  batchId: 'b-1',
  workerId: 'w1',
  campaigns: [
    { campaignId: 'c1', events: [{ recipientId: 'r1', outcome: 'sent', at }] },
    { campaignId: 'c2', events: [], status: { state: 'running', sent: 1, failed: 0, total: 9, seq: 3, updatedAt: at } },
  ],
};
