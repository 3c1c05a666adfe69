import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import type { MockServer } from './MockServer.js';

/** A running HTTP mock: its URL and how to stop it. */
export interface HttpMock {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the mock over real HTTP on `host:port` (port 0 picks a free one), for other processes such as the legacy
 * worker. Request bodies stream into the handlers (so the body limit is counted, never buffered); an injected
 * network error resets the connection.
 */
export async function listenHttp(mock: MockServer, { port = 0, host = '127.0.0.1' } = {}): Promise<HttpMock> {
  const server = createServer((req, res) => {
    handle(mock, req, res, host).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `mock server: ${(error as Error).message}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(mock: MockServer, req: IncomingMessage, res: ServerResponse, host: string): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  // The request is aborted when the client goes away, so a handler waiting on it (a hang) lets go.
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : streamOf(req);
  const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? host}`), {
    method: req.method ?? 'GET',
    headers,
    signal: gone.signal,
    ...(body && { body: body.stream, duplex: 'half' }),
  } as RequestInit);
  let response: Response | undefined;
  try {
    response = await getResponse(mock.handlers, request);
  } finally {
    // What the handler left unread (a body over the limit) is read and thrown away while the answer goes out, so
    // the client gets it, the connection stays usable, and nothing of the body is held.
    body?.discardRest();
  }
  if (response === undefined) {
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: `no route for ${req.method} ${req.url}` }));
    return;
  }
  if (response.type === 'error') {
    req.socket.destroy();
    return;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * A request's body as a web stream that reads the socket only as fast as it is read itself (one chunk a pull), and
 * can be switched to reading the rest and throwing it away.
 */
function streamOf(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; discardRest(): void } {
  let discarding = false;
  let wake: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull: (controller) =>
        new Promise<void>((resolve) => {
          const done = (act: () => void) => {
            req.off('readable', step);
            req.off('end', onEnd);
            req.off('error', onError);
            wake = undefined;
            act();
            resolve();
          };
          const onEnd = () => done(() => controller.close());
          const onError = (error: Error) => done(() => controller.error(error));
          function step(): void {
            const chunk = discarding ? null : (req.read() as Buffer | null);
            if (chunk !== null) done(() => controller.enqueue(new Uint8Array(chunk)));
            else if (discarding || req.readableEnded) done(() => controller.close());
          }
          wake = step;
          req.on('readable', step);
          req.on('end', onEnd);
          req.on('error', onError);
          step();
        }),
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    discardRest() {
      if (discarding) return;
      discarding = true;
      wake?.();
      if (!req.readableEnded) {
        req.on('data', () => {});
        req.resume();
      }
    },
  };
}
