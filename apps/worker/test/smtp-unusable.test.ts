import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Campaign } from '@scope/contract';
import { createMockServer, listenHttp } from '@scope/mock-server';
import type { RecipientEvent } from '@scope/scheduler';
import { SqliteStore } from '@scope/sqlite-store';
import { describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { isSmtpUnavailableError } from '../src/errors/SmtpUnavailableError.js';
import { runWorker } from '../src/worker.js';
import { closedPort, embeddedConfig, tempDir } from './helpers.js';

// A previous run of the worker died with updates in its outbox; this one finds the SMTP server unusable. What the
// outbox holds needs only the main server (here the mock over real HTTP), so it goes before the worker gives up.
const campaign: Campaign = {
  id: 'c1',
  name: 'Left over',
  emailsPerMinute: 60,
  total: 4,
  state: 'ready',
  from: 'worker@example.test',
  subject: 'Hello',
  body: 'Hi',
};
const recipients = [1, 2, 3, 4].map((n) => ({ id: `r${n}`, email: `user-${n}@example.test` }));
const sent = (n: number): RecipientEvent => ({
  eventId: `r.r${n}`,
  recipientId: `r${n}`,
  email: `user-${n}@example.test`,
  outcome: 'sent',
  at: '2026-12-02T10:00:00.000Z',
});

/** An outbox as a crashed run leaves it: a batch sealed (sent, never acknowledged), then two events and a status. */
function leftOverOutbox(dataDir: string): void {
  const store = new SqliteStore({ path: join(dataDir, 'worker.db') });
  store.appendEvent('c1', sent(1), Date.now);
  store.appendEvent('c1', sent(2), Date.now);
  const { events } = store.take('c1', 100, false);
  const batch = { batchId: 'before-the-crash', workerId: 'worker-old', campaigns: [{ campaignId: 'c1', events }] };
  store.seal({ batch, attempt: 1, invalidAnswers: 0, notBefore: 0 });
  store.appendEvent('c1', sent(3), Date.now);
  store.appendEvent('c1', sent(4), Date.now);
  store.putStatus(
    'c1',
    { state: 'completed', sent: 4, failed: 0, total: 4, seq: 7, updatedAt: '2026-12-02T10:00:01.000Z' },
    Date.now(),
  );
  store.close();
}

/** What the outbox of `dataDir` still holds. */
function outboxOf(dataDir: string) {
  const store = new SqliteStore({ path: join(dataDir, 'worker.db') });
  try {
    const { batches, campaigns } = store.recover();
    return {
      batches: batches.length,
      pendingEvents: store.size,
      statuses: campaigns.filter((c) => store.pendingStatus(c.campaignId) !== undefined).length,
    };
  } finally {
    store.close();
  }
}

/** Runs the worker with an SMTP URL nothing answers: what it threw, and every line it told. */
async function runFailing(config: Partial<WorkerConfig>): Promise<{ error: unknown; lines: string[] }> {
  const lines: string[] = [];
  const error = await runWorker(embeddedConfig({ smtpUrl: 'smtp://127.0.0.1:1', minIntervalMs: 100, ...config }), {
    out: process.stdout,
    progress: 'off',
    stopping: new AbortController().signal,
    log: (line) => lines.push(line),
    warn: (line) => lines.push(line),
  }).catch((e: unknown) => e);
  return { error, lines };
}

describe('runWorker, when the SMTP server cannot be used at start', () => {
  it('delivers what a previous run left in the outbox, says so, and still refuses to start (exit 4)', async () => {
    const mock = createMockServer({ campaigns: [{ campaign, recipients }] });
    const http = await listenHttp(mock);
    try {
      const dataDir = tempDir();
      leftOverOutbox(dataDir);
      const { error, lines } = await runFailing({ serverUrl: http.url, dataDir });

      expect(isSmtpUnavailableError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^SMTP server 127\.0\.0\.1:1 cannot be used: connect ECONNREFUSED/);
      // The sealed batch went again under its own id, then the rest: every event once, and the status.
      expect(mock.state.events.get('c1')?.map((e) => e.recipientId)).toEqual(['r1', 'r2', 'r3', 'r4']);
      expect(mock.state.statuses.get('c1')).toMatchObject({ state: 'completed', sent: 4, seq: 7 });
      expect(mock.state.summary()).toMatchObject({ duplicateEvents: 0 });
      expect(lines).toEqual([
        expect.stringMatching(
          /^SMTP server 127\.0\.0\.1:1 cannot be used: delivering the 4 events and 1 status a previous run left in the outbox first/,
        ),
        'delivered the 4 events and 1 status a previous run left in the outbox',
      ]);
      expect(outboxOf(dataDir)).toEqual({ batches: 0, pendingEvents: 0, statuses: 0 });
    } finally {
      await http.close();
    }
  });

  it('gives up on the outbox by the close timeout when the main server is down too, keeping it for the next start', async () => {
    const dataDir = tempDir();
    leftOverOutbox(dataDir);
    const serverUrl = `http://127.0.0.1:${await closedPort()}`;
    const { error, lines } = await runFailing({ serverUrl, dataDir, closeTimeoutMs: 500 });

    expect(isSmtpUnavailableError(error)).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^4 events and 1 status a previous run left are still in the outbox \(the main server did not take them within 0\.5 s\): they go at the next start$/,
    );
    expect(outboxOf(dataDir)).toEqual({ batches: 1, pendingEvents: 2, statuses: 1 });
  });

  it('as the CLI: says so on stderr and exits 4 once the outbox is delivered', async () => {
    // The built CLI (`dist/cli.js`, built by turbo before `test`).
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const mock = createMockServer({ campaigns: [{ campaign, recipients }] });
    const http = await listenHttp(mock);
    try {
      const dataDir = tempDir();
      leftOverOutbox(dataDir);
      const args = ['--server-url', http.url, '--smtp-url', 'smtp://127.0.0.1:1', '--data-dir', dataDir];
      const failure = await promisify(execFile)(process.execPath, [cli, ...args, '--min-interval', '100']).catch(
        (error) => error,
      );
      expect(failure.code).toBe(4);
      expect(failure.stderr.split('\n')).toEqual([
        'turtle-worker: SMTP server 127.0.0.1:1 cannot be used: delivering the 4 events and 1 status a previous run left in the outbox first (within 30 s)',
        'turtle-worker: delivered the 4 events and 1 status a previous run left in the outbox',
        expect.stringMatching(/^turtle-worker: SMTP server 127\.0\.0\.1:1 cannot be used: connect ECONNREFUSED/),
        '',
      ]);
      expect(mock.state.events.get('c1')).toHaveLength(4);
    } finally {
      await http.close();
    }
  }, 60_000);
});
