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
 * worker. An injected network error resets the connection.
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
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  // The request is aborted when the client goes away, so a handler waiting on it (a hang) lets go.
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? host}`), {
    method: req.method ?? 'GET',
    headers,
    signal: gone.signal,
    ...(body && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}),
  });
  const response = await getResponse(mock.handlers, request);
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
