import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

// Runs the built CLI (`dist/cli.js`, built by turbo before `test`).
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let child: ChildProcess | undefined;
afterEach(() => child?.kill('SIGKILL'));

async function start(args: string[]): Promise<{ url: string; output: () => string }> {
  child = spawn(process.execPath, [cli, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  while (!/on (http:\/\/\S+)/.test(output)) await once(child.stdout as NodeJS.ReadableStream, 'data');
  return { url: (/on (http:\/\/\S+)/.exec(output) as RegExpExecArray)[1] as string, output: () => output };
}

describe('mock-server CLI', () => {
  it('serves the demo campaigns with the faults asked for, and prints the load summary on SIGINT', async () => {
    const { url, output } = await start([
      '--campaigns',
      '6',
      '--seed',
      '7',
      '--throttle-rate',
      '1',
      '--retry-after',
      '9',
    ]);
    const { campaigns } = await (await fetch(`${url}/api/campaigns?state=ready`)).json();
    expect(campaigns.map((c: { emailsPerMinute: number }) => c.emailsPerMinute)).toEqual([10, 40, 100, 300, 10, 40]);
    const throttled = await fetch(`${url}/api/campaigns/${campaigns[0].id}/events`, {
      method: 'POST',
      body: '{"events":[]}',
    });
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '9']);
    child?.kill('SIGINT');
    const [code] = await once(child as ChildProcess, 'exit');
    expect(code).toBe(0);
    expect(JSON.parse(output().slice(output().lastIndexOf('\n{')))).toMatchObject({
      requests: 2,
      byStatus: { 200: 1, 429: 1 },
    });
  });

  it('takes --body-limit-bytes: a larger body is refused 413 naming the limit', async () => {
    const { url, output } = await start(['--body-limit-bytes', '1000']);
    expect(output()).toContain('body limit 1000 bytes');
    const post = (bytes: number) =>
      fetch(`${url}/api/campaigns/cmp-42-001/events`, { method: 'POST', body: ' '.repeat(bytes) });
    const over = await post(1001);
    expect([over.status, await over.json()]).toEqual([
      413,
      { error: 'body: expected at most 1000 bytes (the body limit), got more' },
    ]);
    expect((await post(1000)).status).toBe(400);
  });

  it('takes --idempotency-draft: a key still being processed (a hang) gets 409; once it ends, the key applies once', async () => {
    const { url } = await start(['--idempotency-draft', '--hang-rate', '1']);
    const body = JSON.stringify({
      workerId: 'w1',
      batchId: 'b-1',
      campaigns: [
        { campaignId: 'cmp-42-001', events: [{ recipientId: 'r1', outcome: 'sent', at: new Date().toISOString() }] },
      ],
    });
    const send = (signal?: AbortSignal) =>
      fetch(`${url}/api/updates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'b-1' },
        body,
        ...(signal && { signal }),
      });
    const log = async (): Promise<Array<{ status: number; durationMs?: number; fault?: string }>> =>
      (await (await fetch(`${url}/__mock/log`)).json()).log;
    const client = new AbortController();
    const hanging = send(client.signal).catch((error: unknown) => error);
    while ((await log()).length === 0);
    const second = await send();
    expect([second.status, (await second.json()).error]).toEqual([
      409,
      'header Idempotency-Key: a request with "b-1" is still being processed; try again later',
    ]);
    client.abort();
    await hanging;
    while ((await log())[0]?.durationMs === undefined);
    await fetch(`${url}/__mock/faults`, { method: 'POST', body: '{}' });
    expect(await (await send()).json()).toEqual({ accepted: 1, duplicate: false });
    expect(await (await send()).json()).toEqual({ accepted: 0, duplicate: true });
    expect((await log()).map((e) => [e.status, e.fault])).toEqual([
      [504, 'hang'],
      [409, undefined],
      [200, undefined],
      [200, undefined],
    ]);
  });

  it('refuses --control for a campaign it does not serve', async () => {
    const run = promisify(execFile);
    const failure = await run(process.execPath, [cli, '--port', '0', '--control', 'cmp-nope=paused']).catch(
      (error) => error,
    );
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim()).toBe(
      'mock-server: --control: campaign "cmp-nope" is unknown (the campaigns are cmp-42-001, cmp-42-002, cmp-42-003, cmp-42-004)',
    );
  });

  it('refuses a bad flag with one line naming it and exit code 2', async () => {
    const run = promisify(execFile);
    const failure = await run(process.execPath, [cli, '--outage', '90']).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim().split('\n')).toEqual([
      `error: option '--outage <from-to>' argument '90' is invalid. expected FROM-TO in seconds since start (e.g. 60-180), got "90"`,
    ]);
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '--version']);
    expect(stdout).toBe(`${version}\n`);
  });

  it.each([
    ['--port', '0x10', '--port: expected a whole number >= 0 in decimal digits, got "0x10"'],
    ['--seed', '1e3', '--seed: expected a whole number >= 0 in decimal digits, got "1e3"'],
    ['--error-rate', '1e-1', '--error-rate: expected a share from 0 to 1 in decimal digits, got "1e-1"'],
  ])('refuses %s %s: numbers are decimal digits only', async (flag, value, message) => {
    const failure = await promisify(execFile)(process.execPath, [cli, flag, value]).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim()).toMatch(
      new RegExp(`is invalid\\. ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
  });

  it('shows the default of every option in --help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '--help']);
    const entries = stdout
      .slice(stdout.indexOf('Options:'))
      .split(/\n(?= {2}-)/)
      .slice(1);
    expect(entries.length).toBeGreaterThan(15);
    for (const entry of entries.filter((e) => !/--version|--help/.test(e))) expect(entry).toMatch(/default:\s/);
  });
});
