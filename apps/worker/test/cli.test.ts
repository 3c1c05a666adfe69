import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { closedPort, tempDir, writeCampaigns } from './helpers.js';

// Runs the built CLI (`dist/cli.js`, built by turbo before `test`) as a user would.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);

function start(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  // Up to 30 s: a loaded machine can take seconds to start a node process; the tests allow 60 s or more.
  for (let i = 0; i < 600 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!predicate()) throw new Error(`timed out waiting for ${what}`);
}

describe('turtle-worker CLI', () => {
  it('on SIGTERM stops taking recipients, delivers what it recorded, prints the summary and exits 0', async () => {
    const dir = tempDir();
    const campaigns = writeCampaigns(dir, [120, 60], [100, 50]);
    const { child, output } = start([
      '--campaigns',
      campaigns,
      '--min-interval',
      '200',
      '--json',
      '--data-dir',
      dir,
      '--progress',
      'plain',
    ]);
    // Each campaign starts its first email in the same turn as this line, so the signal lands mid-campaign, with
    // at least one outcome to deliver per campaign, and no wall-clock wait is needed.
    await waitFor(() => output().includes('running 2 campaigns'), 'the worker to start');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const text = output();
    expect(text).toContain('SIGTERM: finishing the emails in flight');
    const summary = JSON.parse(text.slice(text.indexOf('{\n')));
    const recorded = summary.campaigns.reduce(
      (n: number, c: { sent: number; failed: number; bounced: number }) => n + c.sent + c.failed + c.bounced,
      0,
    );
    expect(recorded).toBeGreaterThanOrEqual(2);
    expect(summary.campaigns.every((c: { state: string }) => c.state === 'stopped')).toBe(true);
    // Everything recorded reached the (embedded) server, once.
    expect(summary.delivery).toMatchObject({ complete: true, eventsLeft: 0 });
    expect(summary.server).toMatchObject({ eventsDelivered: recorded, eventsAtServer: recorded, duplicates: 0 });
    expect(JSON.parse(readFileSync(join(dir, 'last-run.json'), 'utf8')).server.eventsDelivered).toBe(recorded);
  }, 60_000);

  it('exits at once on a second signal', async () => {
    const dir = tempDir();
    const campaigns = writeCampaigns(dir, [60], [100]);
    // A server that is not there and a ten-minute close deadline: only the second signal can end it quickly.
    const args = [
      '--campaigns',
      campaigns,
      '--server-url',
      'http://127.0.0.1:9',
      '--close-timeout',
      '600000',
      '--data-dir',
      dir,
    ];
    const { child, output } = start(args);
    const exited = once(child, 'exit');
    await waitFor(() => output().includes('running 1 campaign'), 'the worker to start');
    child.kill('SIGINT');
    await waitFor(() => output().includes('SIGINT: finishing'), 'the first signal to be taken');
    child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(130);
    expect(output()).toContain('SIGINT again: exiting now');
  }, 60_000);

  it.each([
    [['--min-interval', 'soon'], {}, '--min-interval: expected a whole number >= 0 in decimal digits, got "soon"'],
    [['--min-interval', '0x10'], {}, '--min-interval: expected a whole number >= 0 in decimal digits, got "0x10"'],
    [['--close-timeout', '1e3'], {}, '--close-timeout: expected a whole number >= 0 in decimal digits, got "1e3"'],
    [['--shape', 'soap'], {}, '--shape: expected one of bulk|legacy, got "soap"'],
    [
      [],
      { WORKER_MAX_CONCURRENT: '0' },
      'WORKER_MAX_CONCURRENT: expected a whole number >= 1 in decimal digits, got "0"',
    ],
    [['--server-url', 'main-server'], {}, '--server-url: expected url, got "main-server"'],
    [['--faults', 'outage=5'], {}, '--faults: outage: expected FROM-TO seconds, got "5"'],
    [['--faults', 'latency=abc'], {}, '--faults: latency: expected a number, got "abc"'],
    [['--faults', '{"errorrate":1}'], {}, '--faults: fault (root): unknown field errorrate'],
    [['--faults', 'error-rate=0x1'], {}, '--faults: error-rate: expected a number, got "0x1"'],
    [
      [],
      { WORKER_MIN_INTERVAL: '1e3' },
      'WORKER_MIN_INTERVAL: expected a whole number >= 0 in decimal digits, got "1e3"',
    ],
    [['--failure-window', '0x10'], {}, '--failure-window: expected a whole number >= 1 in decimal digits, got "0x10"'],
    [
      ['--max-failure-rate', '1e-1'],
      {},
      '--max-failure-rate: expected a share from 0 to 1 in decimal digits, got "1e-1"',
    ],
    [['--max-failure-rate', '2'], {}, '--max-failure-rate: expected a share from 0 to 1 in decimal digits, got "2"'],
    [['--data-dir', '/proc/turtle/data'], {}, '--data-dir: cannot create /proc/turtle/data (ENOENT at /proc/turtle)'],
  ])('refuses %j %j with one line and exit code 2', async (args, env, message) => {
    const failure = await run(process.execPath, [cli, ...args], { env: { ...process.env, ...env } }).catch(
      (error) => error,
    );
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim()).toBe(`turtle-worker: ${message}`);
  });

  /** The CLI's exit code and stderr for arguments it must refuse. */
  const refusal = async (args: string[]) => {
    const failure = await run(process.execPath, [cli, ...args]).catch((error) => error);
    return [failure.code, failure.stderr.trim()];
  };

  it('refuses an unknown field of the config file, naming the file and the field', async () => {
    const config = join(tempDir(), 'worker.json');
    writeFileSync(config, JSON.stringify({ minIntervalMs: 100, shapes: 'bulk' }));
    expect(await refusal(['--config', config])).toEqual([
      2,
      expect.stringContaining(`${config}: unknown field "shapes"`),
    ]);
  });

  it('refuses a bad campaigns file, naming the file, the path and the value', async () => {
    const campaigns = join(tempDir(), 'campaigns.json');
    const recipients = [{ id: 'r', email: 'a@b.c' }];
    writeFileSync(campaigns, JSON.stringify({ campaigns: [{ id: 'c1', emailsPerMinute: -5, recipients }] }));
    expect(await refusal(['--campaigns', campaigns])).toEqual([
      2,
      `turtle-worker: ${campaigns}: campaigns[0].emailsPerMinute: expected > 0, got -5`,
    ]);
    writeFileSync(campaigns, JSON.stringify({ campaigns: [{ id: 'spring sale', emailsPerMinute: 5, recipients }] }));
    expect(await refusal(['--campaigns', campaigns])).toEqual([
      2,
      expect.stringContaining(`${campaigns}: campaigns[0].id: expected 1-200 letters, digits`),
    ]);
  });

  it('refuses a data folder through a file', async () => {
    const file = join(tempDir(), 'worker.json');
    writeFileSync(file, '{}');
    expect(await refusal(['--data-dir', join(file, 'sub')])).toEqual([
      2,
      expect.stringMatching(/^turtle-worker: --data-dir: cannot create .*sub \(ENOTDIR\)$/),
    ]);
  });

  it('refuses faults with a server of its own', async () => {
    expect(await refusal(['--server-url', 'http://127.0.0.1:9', '--faults', 'latency=100'])).toEqual([
      2,
      'turtle-worker: --faults: only the embedded mock takes faults; drop --server-url, or drop --faults',
    ]);
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '--version']);
    expect(stdout).toBe(`${version}\n`);
  });

  it('refuses a number written with an exponent in the config file, naming the file and the field', async () => {
    const config = join(tempDir(), 'worker.json');
    writeFileSync(config, '{ "shape": "bulk", "minIntervalMs": 1e3 }');
    const bad = await run(process.execPath, [cli, '--config', config]).catch((error) => error);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      `turtle-worker: ${config} minIntervalMs: expected decimal digits, got 1e3\n`,
    ]);
  });

  it('exits 4 with one line naming the SMTP server and the cause when it cannot be reached', async () => {
    const port = await closedPort();
    const args = ['--smtp-url', `smtp://127.0.0.1:${port}`, '--data-dir', tempDir()];
    const failure = await run(process.execPath, [cli, ...args]).catch((error) => error);
    expect(failure.code).toBe(4);
    expect(failure.stderr).toBe(
      `turtle-worker: SMTP server 127.0.0.1:${port} cannot be used: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  });

  it('exits 4 naming SMTP when a campaign is paused because its sends fail', async () => {
    const dir = tempDir();
    const campaigns = join(dir, 'campaigns.json');
    const recipients = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, email: `busy-${i}@example.test` }));
    writeFileSync(campaigns, JSON.stringify({ campaigns: [{ id: 'c1', emailsPerMinute: 1200, recipients }] }));
    const args = ['--campaigns', campaigns, '--min-interval', '100', '--data-dir', dir, '--json'];
    args.push('--failure-window', '4', '--max-failure-rate', '0.5');
    const failure = await run(process.execPath, [cli, ...args]).catch((error) => error);
    expect(failure.code).toBe(4);
    // With --json the notes go to stderr too: the pause is the last line.
    expect(failure.stderr).toMatch(
      /\nturtle-worker: paused c1: SMTP server 127\.0\.0\.1:\d+: 4 of the last 4 sends failed \(last: .*451 mailbox busy.*\)\n$/,
    );
    const summary = JSON.parse(failure.stdout);
    expect(summary.campaigns[0]).toMatchObject({ state: 'paused', failed: 4 });
    expect(summary.delivery.complete).toBe(true);
  }, 60_000);

  it('tells each retry of an unreachable main server as it happens, then exits 5 naming the host and the cause', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/api/campaigns?state=ready`;
    const { child, output } = start(['--server-url', `http://127.0.0.1:${port}`, '--data-dir', tempDir()]);
    const exited = once(child, 'exit');
    // The first retry is told before the first wait (1 s), not after the last.
    await waitFor(() => output().includes('attempt 1 of 5, next in 1s'), 'the first retry notice');
    const [code] = await exited;
    expect(code).toBe(5);
    const lines = output().trim().split('\n');
    const cause = `connect ECONNREFUSED 127.0.0.1:${port}`;
    expect(lines).toEqual([
      `turtle-worker: GET ${url}: ${cause}; attempt 1 of 5, next in 1s`,
      `turtle-worker: GET ${url}: ${cause}; attempt 2 of 5, next in 2s`,
      `turtle-worker: GET ${url}: ${cause}; attempt 3 of 5, next in 4s`,
      `turtle-worker: GET ${url}: ${cause}; attempt 4 of 5, next in 8s`,
      `turtle-worker: GET ${url}: ${cause}`,
    ]);
  }, 90_000);

  it('shows the default of every option in --help, and the exit codes', async () => {
    const { stdout } = await run(process.execPath, [cli, '--help']);
    const options = stdout.slice(stdout.indexOf('Options:'), stdout.indexOf('Exit codes:'));
    const entries = options.split(/\n(?= {2}-)/).slice(1);
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries.filter((e) => !/--version|--help/.test(e))) expect(entry).toMatch(/default:\s/);
    expect(stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n {2}3 .*\n {2}4 .*\n {2}5 /);
  });
});
