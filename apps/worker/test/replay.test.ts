import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Campaign, Recipient } from '@scope/contract';
import { createMockServer, listenHttp } from '@scope/mock-server';
import { describe, expect, it } from 'vitest';
import { replayUndelivered } from '../src/replay.js';
import { tempDir } from './helpers.js';

// `turtle-worker replay <file>` sends what a run left undelivered, against the mock main server over real HTTP.

const campaign: Campaign = {
  id: 'rp-1',
  name: 'Replay',
  emailsPerMinute: 60,
  total: 6,
  state: 'ready',
  from: 'worker@example.test',
  subject: 'Hello',
  body: 'Hi',
};
const recipients: Recipient[] = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, email: `u${i}@x.test` }));
const event = (i: number) => ({
  eventId: `r.r${i}`,
  recipientId: `r${i}`,
  email: `u${i}@x.test`,
  outcome: 'sent' as const,
  at: '2026-12-02T10:00:00.000Z',
});
const options = {
  shape: 'bulk' as const,
  minIntervalMs: 50,
  maxConcurrent: 2,
  timeoutMs: 20_000,
  deadLetters: false,
};

describe('replay of an undelivered file', () => {
  it('re-sends unacknowledged batches under their ids and the unsent updates: each event applied once', async () => {
    const mock = createMockServer({ campaigns: [{ campaign, recipients }] });
    const http = await listenHttp(mock);
    try {
      // A batch the server applied whose answer was lost, kept as unacknowledged; and three events never sent.
      const applied = {
        workerId: 'w1',
        batchId: 'b-applied',
        campaigns: [{ campaignId: 'rp-1', events: [0, 1, 2].map(event) }],
      };
      const first = await fetch(`${http.url}/api/updates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': applied.batchId },
        body: JSON.stringify(applied),
      });
      expect(first.status).toBe(200);
      const file = join(tempDir(), 'undelivered-x.json');
      const status = {
        state: 'completed',
        sent: 6,
        failed: 0,
        total: 6,
        seq: 9,
        updatedAt: '2026-12-02T10:01:00.000Z',
      };
      writeFileSync(
        file,
        JSON.stringify({
          unsent: [{ campaignId: 'rp-1', events: [3, 4, 5].map(event), status }],
          unacknowledged: [applied],
          deadLetters: [],
        }),
      );

      const report = await replayUndelivered(file, { ...options, serverUrl: http.url });

      expect(report).toMatchObject({ batches: 1, events: 6, statuses: 1, complete: true, leftFile: null });
      const at = mock.state.events.get('rp-1') ?? [];
      expect(at.map((e) => e.recipientId).sort()).toEqual(recipients.map((r) => r.id));
      expect(mock.state.summary().duplicateEvents).toBe(0);
      expect(mock.state.statuses.get('rp-1')?.state).toBe('completed');
      const resent = mock.state.log.filter((entry) => entry.batchId === 'b-applied');
      expect(resent.length).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('writes what is still left to a new file when the server cannot be reached', async () => {
    const file = join(tempDir(), 'undelivered-y.json');
    writeFileSync(
      file,
      JSON.stringify({ unsent: [{ campaignId: 'rp-1', events: [event(0)] }], unacknowledged: [], deadLetters: [] }),
    );
    const report = await replayUndelivered(file, { ...options, serverUrl: 'http://127.0.0.1:9', timeoutMs: 300 });
    expect(report.complete).toBe(false);
    expect(report.leftFile).toMatch(/undelivered-y\.left-.*\.json$/);
    const left = JSON.parse(readFileSync(report.leftFile as string, 'utf8'));
    const kept = [...left.unsent, ...left.unacknowledged.flatMap((b: { campaigns: unknown[] }) => b.campaigns)];
    expect(kept.flatMap((c: { events: Array<{ eventId: string }> }) => c.events.map((e) => e.eventId))).toEqual([
      'r.r0',
    ]);
  });

  it('refuses a file that is not one, naming the file and the field', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        unsent: [{ campaignId: 'rp-1', events: [{ recipientId: 3 }] }],
        unacknowledged: [],
        deadLetters: [],
      }),
    );
    await expect(replayUndelivered(bad, { ...options, serverUrl: 'http://127.0.0.1:9' })).rejects.toThrow(
      /^replay: .*bad\.json: unsent\[0\]\.events\[0\]/,
    );
    await expect(replayUndelivered(join(dir, 'missing.json'), { ...options, serverUrl: 'http://x' })).rejects.toThrow(
      /replay: cannot read .*missing\.json \(ENOENT\)/,
    );
  });

  it('runs as `turtle-worker replay <file> --server-url <url>`, exit 0 once all is delivered, 2 on bad input', async () => {
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const mock = createMockServer({ campaigns: [{ campaign, recipients }] });
    const http = await listenHttp(mock);
    try {
      const file = join(tempDir(), 'undelivered-z.json');
      writeFileSync(
        file,
        JSON.stringify({ unsent: [{ campaignId: 'rp-1', events: [event(1)] }], unacknowledged: [], deadLetters: [] }),
      );
      const run = async (...args: string[]) => {
        const child = spawn(process.execPath, [cli, 'replay', ...args], { stdio: 'pipe' });
        let output = '';
        child.stdout?.on('data', (chunk) => (output += chunk));
        child.stderr?.on('data', (chunk) => (output += chunk));
        const [code] = await once(child, 'exit');
        return { code, output };
      };
      const done = await run(file, '--server-url', http.url, '--min-interval', '10');
      expect(done, done.output).toMatchObject({ code: 0 });
      expect(done.output).toContain('1 events delivered, 0 refused');
      expect((mock.state.events.get('rp-1') ?? []).map((e) => e.recipientId)).toEqual(['r1']);
      const bad = await run(file, '--server-url', 'ftp://x', '--min-interval', '10');
      expect(bad).toEqual({
        code: 2,
        output: 'turtle-worker: --server-url: expected an http:// or https:// URL, got "ftp://x"\n',
      });
      const hex = await run(file, '--server-url', http.url, '--min-interval', '0x10');
      expect(hex.code).toBe(2);
      expect(hex.output).toContain('expected a whole number >= 0 in decimal digits');
    } finally {
      await http.close();
    }
  }, 60_000);
});
