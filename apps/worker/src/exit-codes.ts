import type { RunSummary } from './summary.js';

/** The worker's exit codes, one meaning each, so a script or a supervisor can act on them. */
export const exitCodes = {
  /** Every campaign ran and everything recorded was delivered. */
  delivered: 0,
  /** Something recorded is left undelivered: it stays in the outbox and goes at the next start. */
  undelivered: 1,
  /** A bad option, configuration or campaigns file, or an unusable data folder. */
  badInput: 2,
  /** All delivered, but some recipients are in doubt (the worker died while mailing them). */
  inDoubt: 3,
  /** The SMTP server cannot be used: unreachable at start, or a campaign paused because its sends were failing. */
  smtp: 4,
  /** The main server's intake could not be read (the campaigns to run), after its retries. */
  mainServer: 5,
  /** An unexpected error inside the worker (a bug: please report it with the message). */
  internal: 70,
  /** A second SIGINT or SIGTERM: exited at once, without delivering what was left (it stays in the outbox). */
  interrupted: 130,
} as const;

/** `--help`'s list of exit codes. */
export const exitCodesHelp = [
  'Exit codes:',
  '  0    everything recorded was delivered',
  '  1    something is left undelivered (kept in the outbox, sent at the next start)',
  '  2    a bad option, config or campaigns file, or an unusable data folder',
  '  3    all delivered, but some recipients are in doubt (see in-doubt.json)',
  '  4    the SMTP server cannot be used (unreachable, or a campaign paused: its sends were failing)',
  '  5    the main server could not be reached to take campaigns',
  '  70   an unexpected error (a bug)',
  '  130  a second SIGINT/SIGTERM: exited at once',
].join('\n');

/** The code of a run that went to its end: a failing mail server first, as it is what to fix. */
export function exitCodeOf(summary: RunSummary): number {
  if (summary.campaigns.some((c) => c.pausedBecause !== null)) return exitCodes.smtp;
  if (!summary.delivery.complete) return exitCodes.undelivered;
  return summary.delivery.inDoubt > 0 ? exitCodes.inDoubt : exitCodes.delivered;
}
