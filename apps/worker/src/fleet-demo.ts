#!/usr/bin/env node
// `pnpm fleet-demo`: N reference workers, each its own process, in one fleet on the local Redis, against one mock
// main server over HTTP and one SMTP sink; then a fleet summary as the server and the mail server saw it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jainIndex } from '@scope/fleet';
import { createMockServer, demoCampaigns, listenHttp, peakInWindow } from '@scope/mock-server';
import { Command } from 'commander';
import manifest from '../package.json' with { type: 'json' };
import { wholeNumber as whole } from './cli-numbers.js';
import { startSmtpSink } from './smtp-sink.js';
import type { RunSummary } from './summary.js';

const program = new Command('fleet-demo')
  .version(manifest.version, '-V, --version', 'print the version')
  .description(
    'Runs N reference workers in one fleet (one process each) against one mock main server and one SMTP sink,\n' +
      'sharing a request budget and the campaigns through Redis, and prints what the server saw.',
  )
  .option('--workers <n>', 'worker processes', whole(1), 4)
  .option('--budget <k>', 'requests per window to the main server for the whole fleet', whole(1), 3)
  .option('--window <ms>', "the budget's sliding window", whole(1), 15_000)
  .option('--campaigns <n>', 'demo campaigns (10, 40, 100, 300 emails/min in turn)', whole(1), 8)
  .option('--minutes <n>', 'minutes of sending per campaign', whole(1), 1)
  .option('--redis-url <url>', 'the Redis the fleet shares', 'redis://127.0.0.1:6379')
  .option('--kill-one <seconds>', 'kill -9 the first worker this long after the start', whole(1))
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
program.parse();
const options = program.opts<{
  workers: number;
  budget: number;
  campaigns: number;
  minutes: number;
  redisUrl: string;
  window: number;
  killOne?: number;
}>();

const campaigns = demoCampaigns({
  seed: 42,
  campaigns: options.campaigns,
  recipients: (rate) => rate * options.minutes,
});
const mock = createMockServer({ campaigns });
const server = await listenHttp(mock);
const sink = await startSmtpSink();
const fleetName = `demo-${Date.now().toString(36)}`;
const dataRoot = mkdtempSync(join(tmpdir(), 'fleet-demo-'));
const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
const startedAt = Date.now();
const recipients = campaigns.reduce((n, c) => n + c.recipients.length, 0);
process.stdout.write(
  `fleet ${fleetName}: ${options.workers} workers, ${options.budget} requests per ${options.window / 1000} s for the whole fleet; ` +
    `${campaigns.length} campaigns, ${recipients} recipients; mock main server ${server.url}, SMTP sink ${sink.url}\n`,
);

interface Member {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  summary: RunSummary | undefined;
}

const members: Member[] = Array.from({ length: options.workers }, (_, i) => {
  const name = `w${i + 1}`;
  const args = [
    cli,
    ...['--server-url', server.url, '--smtp-url', sink.url, '--redis-url', options.redisUrl],
    ...['--fleet-budget', String(options.budget), '--fleet-window', String(options.window), '--fleet-name', fleetName],
    ...['--data-dir', join(dataRoot, name), '--progress', 'off', '--json'],
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const member: Member = {
    name,
    child,
    summary: undefined,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.on('exit', () => {
    if (out.trim() !== '') member.summary = JSON.parse(out) as RunSummary;
  });
  let rest = '';
  child.stderr?.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    const at = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6);
    for (const line of lines) if (line !== '') process.stdout.write(`${at}s ${name}  ${line}\n`);
  });
  return member;
});

if (options.killOne !== undefined) {
  const victim = members[0] as Member;
  setTimeout(() => {
    const at = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6);
    process.stdout.write(`${at}s ${victim.name}  kill -9 (its campaigns are taken over by the others)\n`);
    victim.child.kill('SIGKILL');
  }, options.killOne * 1000).unref();
}
const onSignal = () => {
  for (const { child } of members) child.kill('SIGTERM');
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const codes = await Promise.all(members.map((m) => m.exited));
printSummary(codes);
await server.close();
await sink.close();
rmSync(dataRoot, { recursive: true, force: true });
const failed = codes.some((code, i) => code !== 0 && !(i === 0 && options.killOne !== undefined));
process.exit(failed ? 1 : 0);

function printSummary(exitCodes: ReadonlyArray<number | null>): void {
  const updates = mock.state.log.filter((entry) => entry.endpoint === 'bulk' || entry.endpoint === 'events');
  const peak = peakInWindow(
    updates.map((entry) => entry.at).sort((a, b) => a - b),
    options.window,
  );
  const byWorker = new Map<string, number>();
  for (const entry of updates) byWorker.set(entry.workerId ?? '?', (byWorker.get(entry.workerId ?? '?') ?? 0) + 1);
  const loads = mock.state.summary();
  // An address may be a recipient of several campaigns: a message beyond what the campaigns ask is a repeat.
  const expected = new Map<string, number>();
  for (const { recipients: list } of campaigns) {
    for (const { email } of list) expected.set(email, (expected.get(email) ?? 0) + 1);
  }
  let mailedTwice = 0;
  for (const [address, count] of sink.received) mailedTwice += Math.max(0, count - (expected.get(address) ?? 0));
  const messages = [...sink.received.values()].reduce((a, b) => a + b, 0);
  const lines = [
    '',
    `fleet summary (${((Date.now() - startedAt) / 1000).toFixed(0)} s):`,
    `  update requests at the server      ${updates.length}`,
    `  peak in any sliding window         ${peak} (budget ${options.budget} per ${options.window / 1000} s)`,
    `  events applied / duplicates        ${loads.eventsApplied} / ${loads.duplicateEvents}`,
    `  updates refused (fenced, 412)      ${loads.fencedUpdates}`,
    `  messages sent again to a recipient ${mailedTwice} (${messages} messages for ${recipients} recipients)`,
    '',
    '  worker  exit  requests  campaigns (completed / taken over / lost)  sent  in doubt  waited for the budget',
  ];
  const campaignTime: number[] = [];
  members.forEach((member, i) => {
    const summary = member.summary;
    const fleet = summary?.fleet ?? null;
    const requests = fleet === null ? '-' : String(byWorker.get(fleet.workerId) ?? 0);
    const done = summary?.campaigns.filter((c) => c.state === 'completed') ?? [];
    campaignTime.push(done.reduce((n, c) => n + c.durationMs, 0));
    const taken = fleet === null ? 'killed' : `${fleet.completed} / ${fleet.takenOver} / ${fleet.lost}`;
    lines.push(
      `  ${member.name.padEnd(6)}  ${String(exitCodes[i] ?? 'kill').padStart(4)}  ${requests.padStart(8)}  ${taken.padEnd(41)}  ` +
        `${String(summary?.campaigns.reduce((n, c) => n + c.sent, 0) ?? '-').padStart(4)}  ` +
        `${String(summary?.delivery.inDoubt ?? '-').padStart(8)}  ${fleet === null ? '-' : `${(fleet.waitedMs / 1000).toFixed(1)} s`}`,
    );
  });
  const alive = campaignTime.filter((_, i) => members[i]?.summary !== undefined);
  lines.push(
    `  fairness (Jain index of campaign time over the workers that ran to the end): ${jainIndex(alive).toFixed(2)}`,
  );
  lines.push('', '  campaign                    owners  events at the server  state');
  for (const { campaign, recipients: list } of campaigns) {
    const owners = members.filter((m) => m.summary?.campaigns.some((c) => c.id === campaign.id)).map((m) => m.name);
    const held = mock.state.campaigns.get(campaign.id);
    lines.push(
      `  ${campaign.name.padEnd(26)}  ${(owners.join(',') || '-').padStart(6)}  ${`${mock.state.events.get(campaign.id)?.length ?? 0} of ${list.length}`.padStart(20)}  ${held?.state ?? '?'}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
