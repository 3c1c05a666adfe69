import { setupServer } from 'msw/node';
import type { MockServer } from './MockServer.js';

/**
 * Serves the mock in this process: `fetch` to any origin's `/api/...` is answered by it (other requests pass
 * through). Returns a function that stops it.
 */
export function startInProcess(mock: MockServer): () => void {
  const server = setupServer(...mock.handlers);
  server.listen({ onUnhandledRequest: 'bypass' });
  return () => server.close();
}
