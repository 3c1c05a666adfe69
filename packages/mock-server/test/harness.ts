import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createMockServer, listenHttp, type MockServer, type MockServerOptions, startInProcess } from '../src/index.js';

export const at = '2026-11-28T10:00:00.000Z';
export const event = (id: string, outcome = 'sent', extra: Record<string, unknown> = {}) => ({
  recipientId: id,
  outcome,
  at,
  ...extra,
});
export const status = (seq: number, state = 'running', sent = seq) => ({
  state,
  sent,
  failed: 0,
  total: 30,
  seq,
  updatedAt: at,
});

export type Mode = 'in-process' | 'http';

/** A mock for each test (reset before each), served in-process through msw/node or over a real HTTP round trip. */
export interface Served {
  readonly mock: MockServer;
  readonly base: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Replaces the mock with one of these options, for the current test. */
  reset(options?: MockServerOptions): void;
}

/** Registers the hooks that serve a fresh mock to each test of the calling `describe`. */
export function serve(mode: Mode, options: MockServerOptions = {}): Served {
  let mock: MockServer;
  let base = '';
  let reset: (next?: MockServerOptions) => void = () => {};
  let stop: () => Promise<void> | void = () => {};
  beforeAll(async () => {
    if (mode === 'http') {
      // One HTTP server for the suite; its state is reset per test by swapping the mock it serves.
      const holder = { current: createMockServer(options) };
      const proxy = new Proxy({} as MockServer, { get: (_t, key) => Reflect.get(holder.current, key) });
      const server = await listenHttp(proxy);
      base = server.url;
      stop = () => server.close();
      reset = (next = options) => {
        holder.current = createMockServer(next);
        mock = holder.current;
      };
    } else {
      base = 'http://main.mock';
      let current: (() => void) | undefined;
      reset = (next = options) => {
        current?.();
        mock = createMockServer(next);
        current = startInProcess(mock);
      };
      stop = () => current?.();
    }
  });
  beforeEach(() => reset());
  afterAll(() => stop());
  const send =
    (method: string) =>
    (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
  return {
    get mock() {
      return mock;
    },
    get base() {
      return base;
    },
    post: send('POST'),
    put: send('PUT'),
    reset: (next) => reset(next),
  };
}
