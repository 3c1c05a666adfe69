#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import manifest from '../package.json' with { type: 'json' };
import { ConfigError, loadConfig } from './config.js';
import { formatSummary } from './summary.js';
import { runWorker } from './worker.js';

const program = new Command('turtle-worker')
  .version(manifest.version, '-V, --version', 'print the version')
  .description(
    'A turtle worker: takes campaigns from the main server, sends them at their pace, reports through ServerUpdateScheduler.\n' +
      'With no arguments it runs a one-minute demo against an embedded mock main server and SMTP sink.',
  )
  .option('--config <file>', 'a JSON file with any of the options below (env: WORKER_CONFIG)')
  .option('--server-url <url>', 'the main server (env: WORKER_SERVER_URL); default: the embedded mock')
  .option('--shape <shape>', 'bulk or legacy endpoints (env: WORKER_SHAPE)')
  .option('--smtp-url <url>', 'the SMTP server (env: WORKER_SMTP_URL); default: the embedded sink')
  .option('--min-interval <ms>', 'least time between two server requests (env: WORKER_MIN_INTERVAL)')
  .option('--max-concurrent <n>', 'most server requests in flight (env: WORKER_MAX_CONCURRENT)')
  .option('--campaigns <file>', 'local campaign definitions to run (env: WORKER_CAMPAIGNS)')
  .option(
    '--faults <faults>',
    'faults of the embedded mock, e.g. outage=20-40,latency=200 or JSON (env: WORKER_FAULTS)',
  )
  .option('--close-timeout <ms>', 'how long to deliver what is left at the end (env: WORKER_CLOSE_TIMEOUT)')
  .option('--data-dir <dir>', 'where the run summary and anything undelivered are kept (env: WORKER_DATA_DIR)')
  .option('--progress <mode>', 'auto, live, plain or off (env: WORKER_PROGRESS)')
  .option('--json', 'print the summary as JSON (env: WORKER_JSON)')
  .option(
    '--redis-url <url>',
    'fleet mode: share one request budget and the campaigns with the workers on this Redis (env: WORKER_REDIS_URL)',
  )
  .option(
    '--fleet-budget <n>',
    'fleet mode: requests per window to the main server for the whole fleet (env: WORKER_FLEET_BUDGET; default 4)',
  )
  .option('--fleet-window <ms>', "fleet mode: the budget's sliding window (env: WORKER_FLEET_WINDOW; default 15000)")
  .option(
    '--fleet-name <name>',
    'fleet mode: namespaces the Redis keys (env: WORKER_FLEET_NAME; default turtle-workers)',
  )
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

async function main(): Promise<number> {
  program.parse();
  const defaults = { dataDir: fileURLToPath(new URL('../.data', import.meta.url)) };
  const config = loadConfig(program.opts(), process.env, defaults);
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping.signal.aborted) {
      process.stderr.write(`\n${signal} again: exiting now\n`);
      process.exit(130);
    }
    process.stderr.write(
      `\n${signal}: finishing the emails in flight and delivering what is left (again to exit now)\n`,
    );
    stopping.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress =
    config.json || config.progress === 'off'
      ? 'off'
      : config.progress === 'auto'
        ? process.stdout.isTTY
          ? 'live'
          : 'plain'
        : config.progress;
  // With --json, stdout carries the summary alone; notes go to stderr.
  const log = (line: string) => (config.json ? process.stderr : process.stdout).write(`${line}\n`);
  const { summary } = await runWorker(config, { out: process.stdout, progress, stopping: stopping.signal, log });
  process.stdout.write(config.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
  // 1: something is left undelivered (kept in the outbox); 3: all delivered, but some recipients are in doubt.
  if (!summary.delivery.complete) return 1;
  return summary.delivery.inDoubt > 0 ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`turtle-worker: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`turtle-worker: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
