import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Campaign, Recipient } from '@scope/contract';
import { createMockServer, listenHttp, peakInWindow } from '@scope/mock-server';
import { describe, expect, it } from 'vitest';
import { startSmtpSink } from '../src/smtp-sink.js';
import type { RunSummary } from '../src/summary.js';
import { tempDir } from './helpers.js';

// Reference workers in fleet mode, each the built CLI in its own process, against one mock main server (over real
// HTTP, fencing by owner epoch) and one SMTP sink in this process, sharing the local Redis (CI starts one).
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BUDGET = 2;
const WINDOW_MS = 3_000;

/** Six campaigns of 24 recipients at 120 emails a minute (12 s each), every address its own. */
function campaigns(): { campaign: Campaign; recipients: Recipient[] }[] {
  return Array.from({ length: 6 }, (_, c) => ({
    campaign: {
      id: `fleet-${c + 1}`,
      name: `Fleet ${c + 1}`,
      emailsPerMinute: 120,
      total: 24,
      state: 'ready',
      from: 'worker@example.test',
      subject: 'Hello',
      body: 'Hi',
    },
    recipients: Array.from({ length: 24 }, (_, r) => ({
      id: `c${c + 1}-r${r + 1}`,
      email: `u-${c + 1}-${r + 1}@x.test`,
    })),
  }));
}

interface Member {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startMember(serverUrl: string, smtpUrl: string, fleetName: string): Member {
  const args = ['--server-url', serverUrl, '--smtp-url', smtpUrl, '--data-dir', tempDir()];
  args.push('--redis-url', REDIS_URL, '--fleet-name', fleetName, '--fleet-budget', String(BUDGET));
  args.push('--fleet-window', String(WINDOW_MS), '--min-interval', '500', '--progress', 'off', '--json');
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}

const summaryOf = (member: Member) => JSON.parse(member.output().slice(member.output().indexOf('{\n'))) as RunSummary;

async function until(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('turtle-worker --redis-url (fleet mode)', () => {
  it('shares the campaigns and one budget; a killed and a paused worker lose nothing and mail nobody twice', async () => {
    const defined = campaigns();
    const total = defined.reduce((n, c) => n + c.recipients.length, 0);
    const mock = createMockServer({ campaigns: defined });
    const http = await listenHttp(mock);
    const sink = await startSmtpSink();
    const fleetName = `test-worker-${process.pid}-${Date.now().toString(36)}`;
    const members = Array.from({ length: 4 }, () => startMember(http.url, sink.url, fleetName));
    try {
      // Once two workers own campaigns and a few recipients are mailed: one dies, the other stops (a long GC pause, a
      // frozen VM) until its campaigns are taken over, then wakes. (Which two own first depends on who started first.)
      const owns = (m: Member) => /fleet: took /.test(m.output());
      await until(() => members.filter(owns).length >= 2, 'two workers to own campaigns');
      const [killed, paused] = members.filter(owns) as [Member, Member];
      const others = members.filter((m) => m !== killed && m !== paused);
      const mailed = () => [...sink.received.values()].reduce((a, b) => a + b, 0);
      const start = mailed();
      await until(() => mailed() >= start + 8, 'a few emails');
      killed.child.kill('SIGKILL');
      paused.child.kill('SIGSTOP');
      const stoppedAt = Date.now();
      const ownedBy = (m: Member) => [...m.output().matchAll(/fleet: took (\S+)/g)].map((match) => match[1] as string);
      const orphans = [...ownedBy(killed), ...ownedBy(paused)].filter(
        (id) => mock.state.statuses.get(id)?.state !== 'completed',
      );
      expect(orphans.length).toBeGreaterThan(0);
      const takenOver = () => others.flatMap(ownedBy).filter((id) => orphans.includes(id)).length;
      await until(() => takenOver() >= orphans.length, 'the take-overs');
      const takeOverMs = Date.now() - stoppedAt;
      paused.child.kill('SIGCONT');
      const codes = await Promise.all([paused, ...others].map((m) => m.exited));
      const outputs = [paused, ...others].map((m) => m.output()).join('\n----\n');
      // 3: everything delivered, some recipients in doubt (a take-over found one being mailed when its owner stopped).
      [paused, ...others].forEach((member, i) => {
        const expected = summaryOf(member).delivery.inDoubt > 0 ? 3 : 0;
        expect(codes[i], outputs).toBe(expected);
      });

      // Nothing lost, nothing applied twice, every campaign completed.
      for (const { campaign, recipients } of defined) {
        const applied = (mock.state.events.get(campaign.id) ?? []).map((e) => e.recipientId).sort();
        expect(applied, campaign.id).toEqual(recipients.map((r) => r.id).sort());
        expect(mock.state.statuses.get(campaign.id)?.state, campaign.id).toBe('completed');
      }
      expect(mock.state.summary().duplicateEvents).toBe(0);
      // Nobody mailed twice; every recipient mailed once but those reported in doubt (skipped, never resent).
      expect([...sink.received.values()].every((count) => count === 1)).toBe(true);
      const skipped = defined.reduce(
        (n, { campaign }) =>
          n + (mock.state.events.get(campaign.id) ?? []).filter((e) => e.outcome === 'skipped').length,
        0,
      );
      expect(sink.received.size + skipped).toBeGreaterThanOrEqual(total);
      expect(sink.received.size).toBeLessThanOrEqual(total);
      // The woken worker lost its campaigns and said so; what it sent after waking was refused, not applied.
      const woken = summaryOf(paused);
      expect(woken.fleet?.lost).toBeGreaterThanOrEqual(1);
      if (woken.server.fencedEvents + woken.server.fencedStatuses > 0) {
        expect(mock.state.summary().fencedUpdates).toBeGreaterThan(0);
      }
      // Within the fleet's budget in every sliding window, as the server counted arrivals.
      const arrivals = mock.state.log.filter((e) => e.endpoint === 'bulk').map((e) => e.at);
      const peak = peakInWindow(arrivals, WINDOW_MS);
      expect(peak).toBeLessThanOrEqual(BUDGET);
      console.log(
        `fleet: ${orphans.length} campaigns taken over in ${takeOverMs} ms, ${skipped} recipients in doubt, ` +
          `${mock.state.summary().fencedUpdates} updates fenced, peak ${peak} of ${BUDGET} per ${WINDOW_MS} ms`,
      );
      // The default locks (8 s) and stalled checks (4 s): taken over within lock + 2 × check + rebalance = 17 s.
      expect(takeOverMs).toBeLessThan(30_000);
    } finally {
      for (const { child } of members) child.kill('SIGKILL');
      await http.close();
      await sink.close();
    }
  }, 170_000);

  it('names the Redis it cannot reach at start, in one line, and exits 2', async () => {
    const args = ['--server-url', 'http://127.0.0.1:9', '--redis-url', 'redis://:secret@127.0.0.1:1', '--data-dir'];
    const child = spawn(process.execPath, [cli, ...args, tempDir(), '--progress', 'off'], { stdio: 'pipe' });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^turtle-worker: --redis-url: cannot reach redis:\/\/:\*\*\*@127\.0\.0\.1:1 \(.*ECONNREFUSED/,
      ),
    ]);
  }, 60_000);

  it('refuses fleet mode without the main server the fleet shares', async () => {
    const child = spawn(process.execPath, [cli, '--redis-url', REDIS_URL, '--data-dir', tempDir()], { stdio: 'pipe' });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'turtle-worker: --redis-url: fleet mode needs the main server the fleet shares; give --server-url\n',
    );
  }, 60_000);
});
