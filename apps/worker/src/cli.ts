#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import manifest from '../package.json' with { type: 'json' };
import { configDefaults as d } from './config-defaults.js';
import { ConfigError } from './errors/ConfigError.js';
import { isIntakeError } from './errors/IntakeError.js';
import { isSmtpUnavailableError } from './errors/SmtpUnavailableError.js';
import { exitCodeOf, exitCodes, exitCodesHelp } from './exit-codes.js';

const dataDir = fileURLToPath(new URL('../.data', import.meta.url));

// Defaults are written into the descriptions, not given to commander: an option left out must stay undefined, so
// the environment and the config file can set it.
const program = new Command('turtle-worker')
  .version(manifest.version, '-V, --version', 'print the version')
  .description(
    'A turtle worker: takes campaigns from the main server, sends them at their pace, reports through ServerUpdateScheduler.\n' +
      'With no arguments it runs a one-minute demo against an embedded mock main server and SMTP sink.',
  )
  .option('--config <file>', 'a JSON file with any of the options below (env: WORKER_CONFIG; default: none)')
  .option('--server-url <url>', 'the main server (env: WORKER_SERVER_URL; default: the embedded mock)')
  .option('--shape <shape>', `bulk or legacy endpoints (env: WORKER_SHAPE; default: ${d.shape})`)
  .option('--smtp-url <url>', 'the SMTP server (env: WORKER_SMTP_URL; default: the embedded sink)')
  .option(
    '--min-interval <ms>',
    `least time between two server requests (env: WORKER_MIN_INTERVAL; default: ${d.minIntervalMs})`,
  )
  .option(
    '--max-concurrent <n>',
    `most server requests in flight (env: WORKER_MAX_CONCURRENT; default: ${d.maxConcurrent})`,
  )
  .option(
    '--campaigns <file>',
    "local campaign definitions to run (env: WORKER_CAMPAIGNS; default: the server's ready campaigns)",
  )
  .option(
    '--faults <faults>',
    'faults of the embedded mock, e.g. outage=20-40,latency=200 or JSON (env: WORKER_FAULTS; default: none)',
  )
  .option(
    '--close-timeout <ms>',
    'how long to deliver what is left at the end (env: WORKER_CLOSE_TIMEOUT; default: 30000, or more with many campaigns)',
  )
  .option(
    '--data-dir <dir>',
    `where the outbox, the run summary and anything undelivered are kept (env: WORKER_DATA_DIR; default: ${dataDir})`,
  )
  .option('--progress <mode>', `auto, live, plain or off (env: WORKER_PROGRESS; default: ${d.progress})`)
  .option(
    '--max-failure-rate <share>',
    `pause a campaign when more than this share of its recent sends fail, 1 never (env: WORKER_MAX_FAILURE_RATE; default: ${d.maxFailureRate})`,
  )
  .option(
    '--failure-window <n>',
    `how many recent sends --max-failure-rate judges (env: WORKER_FAILURE_WINDOW; default: ${d.failureWindow})`,
  )
  .option('--json', 'print the summary as JSON, alone on stdout (env: WORKER_JSON; default: off)')
  .option(
    '--redis-url <url>',
    'fleet mode: share one request budget and the campaigns with the workers on this Redis (env: WORKER_REDIS_URL; default: off)',
  )
  .option(
    '--fleet-budget <n>',
    `fleet mode: requests per window to the main server for the whole fleet (env: WORKER_FLEET_BUDGET; default: ${d.fleetBudget})`,
  )
  .option(
    '--fleet-window <ms>',
    `fleet mode: the budget's sliding window (env: WORKER_FLEET_WINDOW; default: ${d.fleetWindowMs})`,
  )
  .option(
    '--fleet-name <name>',
    `fleet mode: namespaces the Redis keys (env: WORKER_FLEET_NAME; default: ${d.fleetName})`,
  )
  .addHelpText(
    'after',
    `\nturtle-worker replay <file> --server-url <url>: sends what a run left undelivered (replay --help)\n\n${exitCodesHelp}`,
  )
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : exitCodes.badInput));

async function main(): Promise<number> {
  if (process.argv[2] === 'replay') {
    const { replayCommand } = await import('./replay-cli.js');
    return replayCommand(process.argv.slice(3), (line) => process.stdout.write(`${line}\n`));
  }
  program.parse();
  // Loaded once commander is done: the worker pulls in the whole kit, which `--help` and `--version` need not wait for.
  const [{ loadConfig }, { runWorker }, { formatSummary }] = await Promise.all([
    import('./config.js'),
    import('./worker.js'),
    import('./summary.js'),
  ]);
  const config = loadConfig(program.opts(), process.env, { dataDir });
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping.signal.aborted) {
      process.stderr.write(`\n${signal} again: exiting now\n`);
      process.exit(exitCodes.interrupted);
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
  const warn = (line: string) => process.stderr.write(`turtle-worker: ${line}\n`);
  const { summary } = await runWorker(config, {
    out: process.stdout,
    progress,
    stopping: stopping.signal,
    log,
    warn,
  });
  process.stdout.write(config.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
  for (const c of summary.campaigns) if (c.pausedBecause !== null) warn(`paused ${c.id}: ${c.pausedBecause}`);
  return exitCodeOf(summary);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`turtle-worker: ${(error as Error).message}\n`);
    if (error instanceof ConfigError) process.exit(exitCodes.badInput);
    if (isSmtpUnavailableError(error)) process.exit(exitCodes.smtp);
    if (isIntakeError(error)) process.exit(exitCodes.mainServer);
    process.exit(exitCodes.internal);
  },
);
