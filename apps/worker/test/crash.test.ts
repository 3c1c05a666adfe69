import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Campaign, Recipient } from '@scope/contract';
import { createMockServer, listenHttp, seededRandom } from '@scope/mock-server';
import { describe, expect, it } from 'vitest';
import { startSmtpSink } from '../src/smtp-sink.js';
import { tempDir } from './helpers.js';

// The built CLI (dist/cli.js, built by turbo before `test`) killed with SIGKILL at random moments, then started
// again, against a main server and an SMTP sink that outlive it (in this process, over real HTTP and SMTP).
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TRIALS = Number(process.env.CRASH_TRIALS ?? 50);
const PARALLEL = 4;

/** Two fast campaigns of 10 recipients; every 5th of the first bounces, so outcomes are mixed. */
function campaigns(): { campaign: Campaign; recipients: Recipient[] }[] {
  return [1, 2].map((n) => ({
    campaign: {
      id: `crash-${n}`,
      name: `Crash ${n}`,
      emailsPerMinute: 1200,
      total: 10,
      state: 'ready',
      from: 'worker@example.test',
      subject: 'Hello',
      body: 'Hi',
    },
    recipients: Array.from({ length: 10 }, (_, r) => ({
      id: `c${n}-r${r}`,
      email: n === 1 && r % 5 === 4 ? `bounce-${n}-${r}@example.test` : `user-${n}-${r}@example.test`,
    })),
  }));
}

function startWorker(
  serverUrl: string,
  smtpUrl: string,
  dataDir: string,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const args = ['--server-url', serverUrl, '--smtp-url', smtpUrl, '--data-dir', dataDir];
  args.push('--min-interval', '100', '--close-timeout', '20000', '--progress', 'off', '--json');
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  // Listened for from the start: a worker that is done before it is killed has already exited by then.
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}

/** One trial: run, SIGKILL after `killAfterMs`, run again to the end; what the server and the sink saw. */
async function trial(killAfterMs: number) {
  const defined = campaigns();
  const mock = createMockServer({ campaigns: defined });
  const http = await listenHttp(mock);
  // Each email takes 40 ms of the 50 ms between two: a kill during sending often lands mid-send.
  const sink = await startSmtpSink({ replyDelayMs: 40 });
  const dataDir = tempDir();
  try {
    const first = startWorker(http.url, sink.url, dataDir);
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    // A worker already done is not killed: the second run then finds nothing left, which must hold too.
    const killed = first.child.exitCode === null && first.child.signalCode === null;
    if (killed) first.child.kill('SIGKILL');
    await first.exited;
    const second = startWorker(http.url, sink.url, dataDir);
    const code = await second.exited;
    const summary = JSON.parse(second.output().slice(second.output().indexOf('{\n'))) as {
      delivery: { inDoubt: number };
    };
    const mailed = [...sink.received.values()];
    const perCampaign = defined.map(({ campaign, recipients }) => ({
      expected: recipients.map((r) => r.id).sort(),
      applied: (mock.state.events.get(campaign.id) ?? []).map((e) => e.recipientId).sort(),
      skipped: (mock.state.events.get(campaign.id) ?? []).filter((e) => e.outcome === 'skipped').length,
      state: mock.state.statuses.get(campaign.id)?.state,
    }));
    return {
      killed,
      code,
      summary,
      mailed,
      perCampaign,
      duplicates: mock.state.summary().duplicateEvents,
      output: second.output(),
    };
  } finally {
    await http.close();
    await sink.close();
  }
}

/** How long a worker takes from start to exit when nothing kills it, as the trials run (PARALLEL at once). */
async function wholeRunMs(): Promise<number> {
  const runs = Array.from({ length: PARALLEL }, async () => {
    const http = await listenHttp(createMockServer({ campaigns: campaigns() }));
    const sink = await startSmtpSink({ replyDelayMs: 40 });
    try {
      const started = Date.now();
      await startWorker(http.url, sink.url, tempDir()).exited;
      return Date.now() - started;
    } finally {
      await http.close();
      await sink.close();
    }
  });
  return Math.min(...(await Promise.all(runs)));
}

describe('turtle-worker stopped by SIGTERM', () => {
  it('leaves its campaigns paused, and the next start takes them up and completes them', async () => {
    const defined = campaigns().map(({ campaign, recipients }) => ({
      campaign: { ...campaign, emailsPerMinute: 300 },
      recipients,
    }));
    const mock = createMockServer({ campaigns: defined });
    const http = await listenHttp(mock);
    const sink = await startSmtpSink();
    const dataDir = tempDir();
    try {
      const first = startWorker(http.url, sink.url, dataDir);
      const mailed = () => [...sink.received.values()].reduce((a, b) => a + b, 0);
      while (mailed() < 6) await new Promise((resolve) => setTimeout(resolve, 20));
      first.child.kill('SIGTERM');
      const firstCode = await first.exited;
      expect(firstCode, first.output()).toBe(0);
      const paused = defined.map(({ campaign }) => mock.state.statuses.get(campaign.id)?.state);
      expect(paused).toEqual(['paused', 'paused']);
      const second = startWorker(http.url, sink.url, dataDir);
      const code = await second.exited;
      expect(code, second.output()).toBe(0);
      expect(second.output()).toContain('taking up crash-1 where it was stopped');
      for (const { campaign, recipients } of defined) {
        const applied = (mock.state.events.get(campaign.id) ?? []).map((e) => e.recipientId).sort();
        expect(applied).toEqual(recipients.map((r) => r.id).sort());
        expect(mock.state.statuses.get(campaign.id)?.state).toBe('completed');
      }
      expect([...sink.received.values()].every((count) => count === 1)).toBe(true);
      // Every address but the two that bounce got its email once.
      expect(sink.received.size).toBe(20 - 2);
    } finally {
      await http.close();
      await sink.close();
    }
  }, 120_000);
});

describe('turtle-worker across kill -9', () => {
  it(`loses nothing, applies nothing twice, mails nobody twice, over ${TRIALS} kills at random moments`, async () => {
    // Seeded, so a failing trial can be replayed by its number.
    const random = seededRandom(20261202);
    // From before the first email to the end of a whole run on this machine, as fast or slow as it is now
    // (start-up, sending, delivery and close), so the kills land in every phase.
    const span = Math.max(500, await wholeRunMs());
    const moments = Array.from({ length: TRIALS }, () => Math.round(150 + random() * (span - 150)));
    let inDoubt = 0;
    let killed = 0;
    for (let start = 0; start < moments.length; start += PARALLEL) {
      const results = await Promise.all(moments.slice(start, start + PARALLEL).map((ms) => trial(ms)));
      results.forEach((result, i) => {
        const label = `trial ${start + i} (killed at ${moments[start + i]} ms)`;
        expect([0, 3], `${label}: exit code; output:\n${result.output}`).toContain(result.code);
        expect(result.duplicates, `${label}: events applied twice`).toBe(0);
        expect(Math.max(0, ...result.mailed), `${label}: a recipient mailed twice`).toBeLessThanOrEqual(1);
        for (const campaign of result.perCampaign) {
          // Every recipient has exactly one outcome at the server: none lost, none twice.
          expect(campaign.applied, `${label}: outcomes at the server`).toEqual(campaign.expected);
          expect(campaign.state, `${label}: final status`).toBe('completed');
        }
        const skipped = result.perCampaign.reduce((sum, c) => sum + c.skipped, 0);
        // At most the sends in flight at the kill can be in doubt: one per campaign.
        expect(skipped, `${label}: in doubt`).toBeLessThanOrEqual(result.perCampaign.length);
        expect(result.summary.delivery.inDoubt).toBe(skipped);
        expect(result.code).toBe(skipped > 0 ? 3 : 0);
        inDoubt += skipped;
        if (result.killed) killed++;
      });
    }
    console.log(
      `kill -9 trials: ${TRIALS} over ${span} ms, ${killed} killed a running worker (the rest had finished); ` +
        `recipients in doubt (reported, never mailed again): ${inDoubt}`,
    );
    // Most kills land in a running worker; otherwise the trials would prove nothing about crashes.
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(TRIALS / 2));
  }, 900_000);

  it('a kill while an email is being sent leaves that recipient in doubt: reported once, never mailed again', async () => {
    const defined = campaigns().slice(0, 1);
    const held = 'user-1-2@example.test';
    const mock = createMockServer({ campaigns: defined });
    const http = await listenHttp(mock);
    // The mail server takes recipient 2's message and never answers: the worker is killed mid-send.
    const sink = await startSmtpSink({ holdReply: (address) => address === held });
    const dataDir = tempDir();
    try {
      const first = startWorker(http.url, sink.url, dataDir);
      while (sink.received.get(held) !== 1) await new Promise((resolve) => setTimeout(resolve, 20));
      first.child.kill('SIGKILL');
      await first.exited;
      const second = startWorker(http.url, sink.url, dataDir);
      const code = await second.exited;
      expect(code, second.output()).toBe(3);
      const events = mock.state.events.get('crash-1') ?? [];
      expect(events.map((e) => e.recipientId).sort()).toEqual(defined[0]?.recipients.map((r) => r.id).sort());
      expect(events.filter((e) => e.outcome === 'skipped')).toEqual([
        expect.objectContaining({
          recipientId: 'c1-r2',
          eventId: 'r.c1-r2',
          error: expect.stringMatching(/^in doubt/),
        }),
      ]);
      expect(sink.received.get(held)).toBe(1);
      expect(JSON.parse(readFileSync(join(dataDir, 'in-doubt.json'), 'utf8'))).toEqual([
        expect.objectContaining({ campaignId: 'crash-1', recipientId: 'c1-r2', email: held }),
      ]);
      expect(mock.state.statuses.get('crash-1')?.state).toBe('completed');
    } finally {
      await http.close();
      await sink.close();
    }
  }, 120_000);
});
