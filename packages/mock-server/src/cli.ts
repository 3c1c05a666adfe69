#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import manifest from '../package.json' with { type: 'json' };
import type { FaultOptions } from './faults.js';
import { listenHttp } from './http.js';
import { createMockServer } from './MockServer.js';

// Decimal digits only: Number() would also read `0x10` as 16 and `1e3` as 1000.
const int =
  (flag: string, min = 0) =>
  (value: string) => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`${flag}: expected a whole number >= ${min} in decimal digits, got "${value}"`);
    return n;
  };
const share = (flag: string) => (value: string) => {
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 1))
    throw new InvalidArgumentError(`${flag}: expected a share from 0 to 1 in decimal digits, got "${value}"`);
  return n;
};
const latency = (value: string): FaultOptions['latencyMs'] => {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!match) throw new InvalidArgumentError(`expected milliseconds or a range like 100-2000, got "${value}"`);
  return match[2] === undefined ? Number(match[1]) : { min: Number(match[1]), max: Number(match[2]) };
};
const outage = (value: string, previous: Array<{ fromMs: number; toMs: number }> = []) => {
  const match = /^(\d+)-(\d+)$/.exec(value);
  if (!match || Number(match[2]) <= Number(match[1])) {
    throw new InvalidArgumentError(`expected FROM-TO in seconds since start (e.g. 60-180), got "${value}"`);
  }
  return [...previous, { fromMs: Number(match[1]) * 1000, toMs: Number(match[2]) * 1000 }];
};
const control = (value: string, previous: Array<[string, string]> = []) => {
  const match = /^([^=]+)=(running|paused|cancelled)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`expected CAMPAIGN=running|paused|cancelled, got "${value}"`);
  return [...previous, [match[1] as string, match[2] as string] as [string, string]];
};

const program = new Command('mock-server')
  .version(manifest.version, '-V, --version', 'print the version')
  .description('The mock main server over HTTP: campaign intake, legacy and bulk update endpoints, faults on demand.')
  .option('-p, --port <port>', 'port to listen on', int('--port'), 4000)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--seed <n>', 'seed of the demo data and the faults', int('--seed'), 42)
  .option(
    '--campaigns <n>',
    'demo campaigns (they cycle through 10, 40, 100, 300 emails/min)',
    int('--campaigns', 1),
    4,
  )
  .option('--recipients <n>', 'recipients per campaign (default: 3 minutes of sending)', int('--recipients', 1))
  .option('--latency <ms|min-max>', 'added to every answer (default: none)', latency)
  .option(
    '--error-rate <share>',
    'share of update requests answered with --error-status (default: 0)',
    share('--error-rate'),
  )
  .option('--error-status <status>', 'status of injected errors', int('--error-status', 400), 500)
  .option(
    '--throttle-rate <share>',
    'share of update requests answered 429/503 with Retry-After (default: 0)',
    share('--throttle-rate'),
  )
  .option('--throttle-status <status>', '429 or 503', int('--throttle-status', 429), 429)
  .option('--retry-after <seconds>', 'Retry-After of throttled answers', int('--retry-after'), 30)
  .option('--retry-after-date', 'write Retry-After as an HTTP date instead of seconds (default: off)')
  .option('--outage <from-to>', 'an outage window in seconds since start, repeatable (default: none)', outage)
  .option('--outage-status', 'answer 503 during outages instead of resetting the connection (default: off)')
  .option('--hang-rate <share>', 'share of update requests that never get an answer (default: 0)', share('--hang-rate'))
  .option(
    '--max-body-bytes <n>',
    "inject 413 above this body size (a fault; the server's own limit is --body-limit-bytes; default: none)",
    int('--max-body-bytes', 1),
  )
  .option('--control <campaign=state>', 'per-campaign control in bulk answers, repeatable (default: none)', control)
  .option(
    '--body-limit-bytes <n>',
    "refuse a larger request body with 413, counted as it streams in (the server's own limit, not a fault)",
    int('--body-limit-bytes', 1),
    1_048_576,
  )
  .option(
    '--idempotency-draft',
    'answer 409 to a request whose Idempotency-Key is still being processed (IETF Idempotency-Key draft; default: off)',
  )
  // A bad flag is one line and exit code 2; --help is exit code 0.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

async function main(): Promise<void> {
  program.parse();
  const o = program.opts();
  if (o.throttleStatus !== 429 && o.throttleStatus !== 503) {
    throw new InvalidArgumentError(`--throttle-status: expected 429 or 503, got "${o.throttleStatus}"`);
  }
  const faults: FaultOptions = {
    ...(o.latency !== undefined && { latencyMs: o.latency }),
    ...(o.errorRate !== undefined && { errorRate: o.errorRate, errorStatus: o.errorStatus }),
    ...(o.throttleRate !== undefined && {
      throttleRate: o.throttleRate,
      throttleStatus: o.throttleStatus,
      retryAfterSeconds: o.retryAfter,
      retryAfterFormat: o.retryAfterDate ? 'date' : 'seconds',
    }),
    ...(o.outage !== undefined && { outages: o.outage, outageMode: o.outageStatus ? 'status' : 'network' }),
    ...(o.hangRate !== undefined && { hangRate: o.hangRate }),
    ...(o.maxBodyBytes !== undefined && { maxBodyBytes: o.maxBodyBytes }),
  };
  const mock = createMockServer({
    seed: o.seed,
    campaigns: { campaigns: o.campaigns, ...(o.recipients !== undefined && { recipients: o.recipients }) },
    faults,
    bodyLimitBytes: o.bodyLimitBytes,
    idempotencyDraft: o.idempotencyDraft === true,
  });
  for (const [campaignId, state] of (o.control ?? []) as Array<[string, 'running' | 'paused' | 'cancelled']>) {
    if (!mock.state.knows(campaignId)) {
      const known = [...mock.state.campaigns.keys()].join(', ');
      throw new InvalidArgumentError(`--control: campaign "${campaignId}" is unknown (the campaigns are ${known})`);
    }
    mock.state.control.set(campaignId, state);
  }
  const server = await listenHttp(mock, { port: o.port, host: o.host });
  const draft = mock.idempotencyDraft ? ', idempotency draft' : '';
  console.log(`mock main server on ${server.url} (seed ${o.seed}, body limit ${mock.bodyLimitBytes} bytes${draft})`);
  for (const campaign of mock.state.campaigns.values()) {
    console.log(`  ${campaign.id}  ${String(campaign.emailsPerMinute).padStart(4)}/min  ${campaign.total} recipients`);
  }
  console.log(
    `  log: ${server.url}/__mock/log   summary: ${server.url}/__mock/summary   faults: ${JSON.stringify(faults)}`,
  );
  const stop = async () => {
    console.log(JSON.stringify(mock.state.summary(), null, 2));
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`mock-server: ${(error as Error).message}`);
  process.exit(2);
});
