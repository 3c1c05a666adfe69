import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// These run the built package (`dist/`, built by turbo before `test`) in a child process with real time.
const dist = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
const run = promisify(execFile);

const script = (body: string) => `
  const { ServerUpdateScheduler } = require(${JSON.stringify(dist)});
  const transport = Object.assign(async (batch) => {
    for (const c of batch.campaigns) console.log('sent', c.campaignId, c.events.length, c.status ? c.status.state : '-');
    return { status: 200 };
  }, { shape: 'bulk' });
  const scheduler = new ServerUpdateScheduler({ transport, minIntervalMs: 300 });
  const at = new Date().toISOString();
  scheduler.registerCampaign('a', { emailsPerMinute: 10 });
  scheduler.registerCampaign('b', { emailsPerMinute: 10 });
  ${body}
`;

describe('process hygiene', () => {
  it('never keeps the process alive with its own timers', async () => {
    const { stdout } = await run(process.execPath, [
      '-e',
      script(`scheduler.record('a', { recipientId: 'r1', outcome: 'sent', at });`),
    ]);
    // The event was due in 120 s; nobody awaited flush, so the process ended without waiting (and said nothing).
    expect(stdout).toBe('');
  });

  it('keeps the process alive while flush() is awaited, through the spacing wait, until delivered', async () => {
    const { stdout } = await run(process.execPath, [
      '-e',
      script(`
        scheduler.setStatus('a', { state: 'completed', sent: 0, failed: 0, total: 0 });
        // 'a' goes at once; then 'b', flushed 50 ms later, must wait out the 300 ms spacing on the scheduler's
        // own timer, the only thing left to keep the process up.
        setTimeout(() => {
          scheduler.record('b', { recipientId: 'r1', outcome: 'sent', at });
          scheduler.flush().then(() => console.log('flushed'));
        }, 50);
      `),
    ]);
    expect(stdout.trim().split('\n')).toEqual(['sent a 0 completed', 'sent b 1 -', 'flushed']);
  });

  it('keeps the process alive until close() resolves, and no longer', async () => {
    const { stdout } = await run(process.execPath, [
      '-e',
      script(`
        scheduler.setStatus('b', { state: 'completed', sent: 0, failed: 0, total: 0 });
        setTimeout(() => {
          scheduler.record('a', { recipientId: 'r1', outcome: 'sent', at });
          scheduler.close({ timeoutMs: 5000 }).then((report) => console.log('closed', report.complete, report.eventsDelivered));
        }, 50);
      `),
    ]);
    expect(stdout.trim().split('\n')).toEqual(['sent b 0 completed', 'sent a 1 -', 'closed true 1']);
  });
});
