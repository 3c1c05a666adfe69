import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
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

  it('refuses a bad flag with one line naming it and exit code 2', async () => {
    const run = promisify(execFile);
    const failure = await run(process.execPath, [cli, '--outage', '90']).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr.trim().split('\n')).toEqual([
      `error: option '--outage <from-to>' argument '90' is invalid. expected FROM-TO in seconds since start (e.g. 60-180), got "90"`,
    ]);
  });
});
