import type { CloseReport } from '@scope/scheduler';
import type { CampaignProgress } from './campaign-runner.js';
import type { FleetReport } from './fleet/fleet-mode.js';
import { duration } from './progress/render.js';
import type { ServerView } from './server-view.js';

/** What a run did, printed at the end (a table, or JSON with `--json`) and kept in the data folder. */
export interface RunSummary {
  readonly campaigns: ReadonlyArray<{
    id: string;
    name: string;
    emailsPerMinute: number;
    total: number;
    sent: number;
    failed: number;
    bounced: number;
    /** Recipients whose email may or may not have gone (the worker died mid-send): never sent again. */
    inDoubt: number;
    state: string;
    /** Why the worker paused the campaign (its sends were failing), or null. */
    pausedBecause: string | null;
    durationMs: number;
  }>;
  readonly server: ServerView & {
    readonly target: string;
    readonly shape: string;
    readonly eventsDelivered: number;
    readonly statusesDelivered: number;
    readonly deadLettered: number;
    readonly deadLetteredStatuses: number;
    /**
     * Of those, refused 412 in fleet mode because another worker had taken the campaign over (fenced): not lost, the
     * new owner records them again from the fleet's checkpoint.
     */
    readonly fencedEvents: number;
    readonly fencedStatuses: number;
    /** As the embedded mock saw it (null against a real server, which this worker cannot see into). */
    readonly duplicates: number | null;
    readonly eventsAtServer: number | null;
  };
  readonly delivery: {
    /** Everything recorded reached the server, and the server refused nothing. */
    readonly complete: boolean;
    readonly eventsLeft: number;
    readonly statusesLeft: number;
    /**
     * Left in the outbox (the data folder) when the run ended, sent at the next start under the same batch ids;
     * `undeliveredFile` is an export of the same.
     */
    readonly undeliveredFile: string | null;
    /** Recipients in doubt (this run's campaigns), reported to the server as skipped; listed in `inDoubtFile`. */
    readonly inDoubt: number;
    readonly inDoubtFile: string | null;
  };
  readonly mail: { readonly target: string; readonly received: number | null };
  /** Fleet mode: this worker's part in the fleet; null when it ran alone. */
  readonly fleet: FleetReport | null;
}

export function buildSummary(parts: {
  campaigns: readonly CampaignProgress[];
  server: ServerView;
  target: string;
  shape: string;
  report: CloseReport;
  duplicates: number | null;
  eventsAtServer: number | null;
  undeliveredFile: string | null;
  inDoubtFile: string | null;
  mailTarget: string;
  mailReceived: number | null;
  fleet: FleetReport | null;
  /** Dead letters refused 412 in fleet mode (another owner has the campaign). */
  fenced: { events: number; statuses: number };
}): RunSummary {
  const { report, fenced } = parts;
  return {
    campaigns: parts.campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      emailsPerMinute: c.emailsPerMinute,
      total: c.total,
      sent: c.sent,
      failed: c.failed,
      bounced: c.bounced,
      inDoubt: c.inDoubt,
      state: c.state,
      pausedBecause: c.pausedBecause ?? null,
      durationMs: c.startedAt === undefined ? 0 : (c.endedAt ?? c.startedAt) - c.startedAt,
    })),
    server: {
      ...parts.server,
      target: parts.target,
      shape: parts.shape,
      eventsDelivered: report.eventsDelivered,
      statusesDelivered: report.stats.statusesDelivered,
      deadLettered: report.deadLettered,
      deadLetteredStatuses: report.stats.deadLetteredStatuses,
      fencedEvents: fenced.events,
      fencedStatuses: fenced.statuses,
      duplicates: parts.duplicates,
      eventsAtServer: parts.eventsAtServer,
    },
    delivery: {
      complete:
        report.complete &&
        report.deadLettered === fenced.events &&
        report.stats.deadLetteredStatuses === fenced.statuses,
      eventsLeft: report.eventsLeft,
      statusesLeft: report.statusesLeft,
      undeliveredFile: parts.undeliveredFile,
      inDoubt: parts.campaigns.reduce((sum, c) => sum + c.inDoubt, 0),
      inDoubtFile: parts.inDoubtFile,
    },
    mail: { target: parts.mailTarget, received: parts.mailReceived },
    fleet: parts.fleet,
  };
}

function table(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string[] {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(cells[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
}

/** The summary as text: a table per campaign, then the server's side. */
export function formatSummary(summary: RunSummary): string {
  const { server, delivery } = summary;
  const lines = [
    '',
    ...table(
      ['campaign', 'rate/min', 'sent', 'failed', 'bounced', 'total', 'duration', 'state'],
      summary.campaigns.map((c) => [
        c.name,
        c.emailsPerMinute,
        c.sent,
        c.failed,
        c.bounced,
        c.total,
        duration(c.durationMs),
        c.state,
      ]),
    ),
    '',
    `server (${server.target}, ${server.shape}):`,
    ...table(['requests by endpoint', 'count'], [...Object.entries(server.byEndpoint), ['total', server.requests]]).map(
      (l) => `  ${l}`,
    ),
    `  minimum gap between requests  ${server.minGapMs === null ? '-' : `${(server.minGapMs / 1000).toFixed(1)}s`}`,
    `  peak in flight                ${server.peakInFlight}`,
    `  events delivered              ${server.eventsDelivered}`,
    `  statuses delivered            ${server.statusesDelivered}`,
    `  retries                       ${server.retries}`,
    `  events held by the server     ${server.eventsAtServer ?? 'n/a'}`,
    `  duplicates at the server      ${server.duplicates ?? 'n/a'}`,
    `  refused by the server         ${server.deadLettered} events, ${server.deadLetteredStatuses} statuses` +
      (server.fencedEvents + server.fencedStatuses > 0
        ? ` (of which ${server.fencedEvents} events, ${server.fencedStatuses} statuses fenced: the campaign's new owner has them)`
        : ''),
    delivery.complete
      ? '  everything recorded was delivered'
      : `  NOT delivered: ${delivery.eventsLeft} events and ${delivery.statusesLeft} statuses left (kept in the outbox, sent at the next start), ${server.deadLettered} events and ${server.deadLetteredStatuses} statuses refused; exported to ${delivery.undeliveredFile}`,
    ...(delivery.inDoubt > 0
      ? [
          `  IN DOUBT: ${delivery.inDoubt} recipients (the worker stopped while mailing them; not sent again, reported as skipped); listed in ${delivery.inDoubtFile}`,
        ]
      : []),
    ...summary.campaigns.flatMap((c) =>
      c.pausedBecause === null ? [] : [`PAUSED ${c.name}: ${c.pausedBecause}; taken up at the next start`],
    ),
    `mail: ${summary.mail.target}${summary.mail.received === null ? '' : `, ${summary.mail.received} messages received`}`,
    ...(summary.fleet === null ? [] : [fleetLine(summary.fleet)]),
  ];
  return lines.join('\n');
}

function fleetLine(fleet: FleetReport): string {
  return (
    `fleet ${fleet.name} (${fleet.budget} requests per ${fleet.windowMs / 1000} s for the whole fleet): worker ${fleet.workerId} completed ` +
    `${fleet.completed} campaigns, took over ${fleet.takenOver}, lost ${fleet.lost}; ${fleet.grants} requests granted ` +
    `(${fleet.localGrants} on its static share while Redis was down), ${(fleet.waitedMs / 1000).toFixed(1)}s waited for the budget`
  );
}
