import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createMockServer, listenHttp } from '@scope/mock-server';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = fileURLToPath(new URL('../index.mjs', import.meta.url));

describe('examples/worker-in-30-lines', () => {
  it('mails every recipient of the ready campaigns and reports each outcome to the server once', {
    timeout: 90_000,
  }, async () => {
    const mock = createMockServer({ seed: 5, campaigns: { campaigns: 3, rates: [600, 1200, 900], recipients: 8 } });
    const http = await listenHttp(mock);
    try {
      const { stdout } = await run(process.execPath, [example], {
        env: { ...process.env, MAIN_SERVER_URL: http.url },
        timeout: 80_000,
      });
      expect(stdout).toContain('delivered 24 events, nothing left');
      const summary = mock.state.summary();
      expect(summary.eventsApplied).toBe(24);
      expect(summary.duplicateEvents).toBe(0);
      expect(summary.deduplicatedEvents).toBe(0);
      expect(summary.duplicateBatches).toBe(0);
      // Few requests: one per 15 s at most, however many events (the campaigns end together: one or two).
      expect(summary.byEndpoint.bulk).toBeLessThanOrEqual(2);
      for (const [id, status] of mock.state.statuses) {
        expect(status, id).toMatchObject({ state: 'completed', sent: 8, failed: 0, total: 8 });
      }
      expect(mock.state.statuses.size).toBe(3);
    } finally {
      await http.close();
    }
  });
});
