import { Command } from 'commander';
import { wholeNumber as whole } from './cli-numbers.js';
import { ConfigError } from './errors/ConfigError.js';
import { exitCodes } from './exit-codes.js';

/**
 * `turtle-worker replay <file>`: sends what a run left undelivered (an `undelivered-*.json` of the data folder).
 * Returns the exit code: 0 all delivered, 1 something is still left (written to a new file), 2 bad input.
 */
export async function replayCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const command = new Command('turtle-worker replay')
    .description(
      'Sends what a run left undelivered: its unacknowledged batches again under their own batch ids (a server\n' +
        'that applied one applies it once), then its unsent updates, keeping their event ids.',
    )
    .argument('<file>', 'an undelivered-*.json from the data folder')
    .requiredOption('--server-url <url>', 'the main server to send to')
    .option('--shape <shape>', 'bulk or legacy endpoints (default: bulk)', 'bulk')
    .option('--min-interval <ms>', 'least time between two requests (default: 15000)', whole(0), 15_000)
    .option('--max-concurrent <n>', 'most requests in flight (default: 2)', whole(1), 2)
    .option(
      '--timeout <ms>',
      'how long to try before writing what is left to a new file (default: 300000)',
      whole(1),
      300_000,
    )
    .option('--dead-letters', 'also send what the server refused for good (once it is fixed) (default: off)', false)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : exitCodes.badInput));
  command.parse(argv, { from: 'user' });
  const o = command.opts<{
    serverUrl: string;
    shape: string;
    minInterval: number;
    maxConcurrent: number;
    timeout: number;
    deadLetters: boolean;
  }>();
  if (o.shape !== 'bulk' && o.shape !== 'legacy')
    throw new ConfigError(`--shape: expected bulk or legacy, got "${o.shape}"`);
  if (!/^https?:\/\//.test(o.serverUrl) || !URL.canParse(o.serverUrl)) {
    throw new ConfigError(`--server-url: expected an http:// or https:// URL, got "${o.serverUrl}"`);
  }
  const { replayUndelivered } = await import('./replay.js');
  const file = command.args[0] as string;
  const report = await replayUndelivered(file, {
    serverUrl: o.serverUrl,
    shape: o.shape,
    minIntervalMs: o.minInterval,
    maxConcurrent: o.maxConcurrent,
    timeoutMs: o.timeout,
    deadLetters: o.deadLetters,
  });
  out(
    `replayed ${file}: ${report.batches} unacknowledged batches, ${report.events} events and ${report.statuses} statuses; ` +
      `${report.eventsDelivered} events delivered, ${report.deadLettered} refused`,
  );
  if (report.complete) return exitCodes.delivered;
  out(`not everything was delivered: what is left is in ${report.leftFile}`);
  return exitCodes.undelivered;
}
