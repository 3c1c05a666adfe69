import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Campaign, Recipient } from '@scope/contract';
import { createMockServer, type DemoCampaign, type MockServer, startInProcess } from '@scope/mock-server';
import {
  type CloseReport,
  createHttpTransport,
  type DeadLetter,
  type SchedulerOptions,
  ServerUpdateScheduler,
} from '@scope/scheduler';
import { isStoreLockedError, SqliteStore } from '@scope/sqlite-store';
import { type CampaignProgress, newProgress, runCampaign } from './campaign-runner.js';
import { demoSet, readCampaignsFile } from './campaigns.js';
import type { WorkerConfig } from './config.js';
import { checkDataDir } from './data-dir.js';
import { ConfigError } from './errors/ConfigError.js';
import { Fleet } from './fleet/fleet-mode.js';
import { type IntakeOptions, readyCampaigns, recipientsOf } from './intake.js';
import { campaignJournal } from './journal/CampaignJournal.js';
import { RecipientJournal } from './journal/RecipientJournal.js';
import { createMailer } from './mail.js';
import { type Display, type ProgressMode, showProgress } from './progress/display.js';
import { watchRequests } from './server-view.js';
import { startSmtpSink } from './smtp-sink.js';
import { buildSummary, type RunSummary } from './summary.js';

/** The URL the embedded mock answers in-process (msw intercepts fetch to it; nothing listens on a port). */
export const EMBEDDED_SERVER_URL = 'http://main.mock';

export interface WorkerIo {
  readonly out: NodeJS.WritableStream;
  readonly progress: ProgressMode;
  /** One-line notes on what the worker is doing. */
  readonly log: (line: string) => void;
  /** One-line notes on what went wrong before the progress display starts, and what the worker does about it. */
  readonly warn: (line: string) => void;
  /** Aborts when the worker is asked to stop (a first SIGINT or SIGTERM). */
  readonly stopping: AbortSignal;
  /** Scheduler options beyond the configuration (tests shorten the breaker's cool-down, for one). */
  readonly schedulerOptions?: Partial<SchedulerOptions>;
}

export interface WorkerRun {
  readonly summary: RunSummary;
  /** The embedded mock, when one ran (tests read its state). */
  readonly mock: MockServer | undefined;
  readonly mailReceived: ReadonlyMap<string, number> | undefined;
}

/**
 * Runs the worker to completion: takes the campaigns (from the server, or the local file), sends each at its rate
 * through the pooled SMTP transport, reports through one ServerUpdateScheduler, and closes it within the deadline.
 * With no server or SMTP URL, it runs the embedded msw mock and SMTP sink.
 */
export async function runWorker(config: WorkerConfig, io: WorkerIo): Promise<WorkerRun> {
  await checkDataDir(config.dataDir);
  if (config.serverUrl !== undefined && Object.keys(config.faults).length > 0) {
    throw new ConfigError('--faults: only the embedded mock takes faults; drop --server-url, or drop --faults');
  }
  checkFleetConfig(config);
  const local = config.campaignsFile === undefined ? undefined : readCampaignsFile(config.campaignsFile);
  const embedded = config.serverUrl === undefined;
  const workerId = `worker-${randomUUID().slice(0, 8)}`;
  const sink = config.smtpUrl === undefined ? await startSmtpSink() : undefined;
  const smtpUrl = config.smtpUrl ?? (sink as NonNullable<typeof sink>).url;
  const mailer = createMailer(smtpUrl);
  // Before any campaign is taken: a mail server that cannot be used would turn every recipient into a failure.
  const unusable = await mailer.verify().then(
    () => undefined,
    (error: unknown) => error,
  );
  if (unusable !== undefined) {
    mailer.close();
    await sink?.close();
    // What a previous run left in the outbox needs only the main server: it goes before the worker gives up.
    await deliverLeftOver(config, io, workerId, local, mailer.target).catch((error: unknown) =>
      io.warn(`what a previous run left in the outbox stays there: ${(error as Error).message}`),
    );
    throw unusable;
  }
  const fleet = config.redisUrl === undefined ? undefined : await joinFleet(config, config.redisUrl, workerId, io.log);
  const { serverUrl, mock, store, scheduler, deadLetters, stop } = startReporting(
    config,
    io,
    workerId,
    local,
    fleet,
    openOutbox(config.dataDir, io.log),
  );
  const journal = new RecipientJournal(store);
  // The embedded mock starts afresh at every run: campaigns done against it are forgotten, unfinished ones resumed.
  if (embedded) journal.forgetDone(serverUrl);
  const control = new Map<string, 'running' | 'paused' | 'cancelled'>();
  scheduler.on('control', ({ campaignId, state }) => control.set(campaignId, state));
  const serverView = watchRequests(scheduler, config.shape);

  try {
    const context = { scheduler, mailer, control, stopping: io.stopping, failureLimit: config };
    const intake = { signal: io.stopping, onRetry: io.warn };
    const progress: CampaignProgress[] = [];
    let display: Display;
    if (fleet === undefined) {
      const work = await takeCampaigns(local, embedded, serverUrl, intake, journal, io.log);
      io.log(
        `running ${work.length} campaign${work.length === 1 ? '' : 's'} (${work.reduce((n, w) => n + w.recipients.length, 0)} recipients); ` +
          `server: ${embedded ? 'embedded mock' : serverUrl} (${config.shape}); mail: ${sink ? `embedded sink ${smtpUrl}` : smtpUrl}`,
      );
      progress.push(...work.map(({ campaign, recipients }) => newProgress(campaign, recipients.length)));
      display = showProgress(io.progress, io.out, progress, serverView);
      await Promise.all(
        work.map(({ campaign, recipients }, i) =>
          runCampaign(campaign, recipients, progress[i] as CampaignProgress, {
            ...context,
            journal: campaignJournal(journal, serverUrl, campaign.id),
          }),
        ),
      );
    } else {
      io.log(
        `fleet ${config.fleetName} (${config.fleetBudget} requests per ${config.fleetWindowMs / 1000} s for the whole fleet): ` +
          `worker ${workerId}; server: ${serverUrl} (${config.shape}); mail: ${sink ? `embedded sink ${smtpUrl}` : smtpUrl}`,
      );
      display = showProgress(io.progress, io.out, progress, serverView);
      await fleet.run({
        scheduler,
        stopping: io.stopping,
        log: io.log,
        ready: () => readyCampaigns(serverUrl, intake),
        recipientsOf: (campaign, signal) =>
          recipientsOf(serverUrl, campaign.id, { ...intake, signal: AbortSignal.any([signal, io.stopping]) }),
        runCampaign: ({ campaign, recipients, owner }) => {
          const campaignProgress = newProgress(campaign, recipients.length);
          progress.push(campaignProgress);
          journal.take(serverUrl, campaign, recipients);
          return runCampaign(campaign, recipients, campaignProgress, {
            ...context,
            journal: campaignJournal(journal, serverUrl, campaign.id),
            owner,
          });
        },
      });
    }
    const report = await scheduler.close({ timeoutMs: closeTimeoutOf(config, progress.length) });
    display.stop();
    const undeliveredFile = await keepUndelivered(config.dataDir, report, deadLetters);
    const inDoubt = journal.inDoubt();
    const inDoubtFile = inDoubt.length === 0 ? null : join(config.dataDir, 'in-doubt.json');
    if (inDoubtFile !== null) await writeFile(inDoubtFile, JSON.stringify(inDoubt, null, 2));
    const summary = buildSummary({
      campaigns: progress,
      server: serverView(),
      target: embedded ? 'embedded mock' : serverUrl,
      shape: config.shape,
      report,
      duplicates: mock ? mock.state.summary().duplicateEvents : null,
      eventsAtServer: mock ? mock.state.summary().eventsApplied : null,
      undeliveredFile,
      inDoubtFile,
      mailTarget: sink ? `embedded SMTP sink ${sink.url}` : smtpUrl,
      mailReceived: sink ? [...sink.received.values()].reduce((a, b) => a + b, 0) : null,
      fleet: fleet?.report() ?? null,
      fenced: fencedCount(fleet === undefined ? [] : deadLetters),
    });
    await writeFile(join(config.dataDir, 'last-run.json'), JSON.stringify(summary, null, 2));
    return { summary, mock, mailReceived: sink?.received };
  } finally {
    await stop();
    await fleet?.close();
    mailer.close();
    await sink?.close();
  }
}

/** The main server's side of a run: the server (the embedded mock without a URL), the outbox and the scheduler. */
interface Reporting {
  readonly serverUrl: string;
  /** The embedded mock, when one runs. */
  readonly mock: MockServer | undefined;
  readonly store: SqliteStore;
  readonly scheduler: ServerUpdateScheduler;
  /** What the server refused for good: kept in the data folder and counted, never silently gone. */
  readonly deadLetters: DeadLetter[];
  /** Closes the scheduler at once (close it with a deadline before), the outbox and the embedded mock. */
  stop(): Promise<void>;
}

/** Starts reporting to the main server through one scheduler on the outbox `store` (which it closes in `stop`). */
function startReporting(
  config: WorkerConfig,
  io: WorkerIo,
  workerId: string,
  local: DemoCampaign[] | undefined,
  fleet: Fleet | undefined,
  store: SqliteStore,
): Reporting {
  const mock =
    config.serverUrl === undefined
      ? createMockServer({ campaigns: local ?? demoSet(), faults: config.faults })
      : undefined;
  const stopMock = mock ? startInProcess(mock) : undefined;
  const serverUrl = config.serverUrl ?? EMBEDDED_SERVER_URL;
  const scheduler = new ServerUpdateScheduler({
    store,
    transport: createHttpTransport({ baseUrl: serverUrl, shape: config.shape }),
    workerId,
    minIntervalMs: config.minIntervalMs,
    maxConcurrent: config.maxConcurrent,
    ...(fleet === undefined ? {} : { requestGate: fleet.budget.gate }),
    ...io.schedulerOptions,
  });
  // A 429/503 with Retry-After seen by this worker pauses the whole fleet.
  fleet?.budget.watch(scheduler);
  const deadLetters: DeadLetter[] = [];
  scheduler.on('deadletter', (letter) => deadLetters.push(letter));
  return {
    serverUrl,
    mock,
    store,
    scheduler,
    deadLetters,
    stop: async () => {
      await scheduler.close({ timeoutMs: 0 });
      store.close();
      stopMock?.();
    },
  };
}

/** The close deadline: enough for each campaign's last updates, spaced (two requests each with the legacy shape). */
function closeTimeoutOf(config: WorkerConfig, campaigns: number): number {
  return config.closeTimeoutMs ?? Math.max(30_000, (2 * campaigns + 1) * config.minIntervalMs);
}

/**
 * Keeps in the data folder what a run could not deliver, so nothing recorded is lost: unsent updates, batches to
 * resend with the same ids, and what the server refused for good, with its reasons. Returns the file, if any.
 */
async function keepUndelivered(dataDir: string, report: CloseReport, deadLetters: readonly DeadLetter[]) {
  if (report.complete && deadLetters.length === 0) return null;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dataDir, `undelivered-${stamp}.json`);
  const kept = { unsent: report.unsent, unacknowledged: report.unacknowledged, deadLetters };
  await writeFile(file, JSON.stringify(kept, null, 2));
  return file;
}

/**
 * The SMTP server `smtpTarget` cannot be used, so no campaign is taken; but what a previous run left in the outbox
 * needs only the main server. It is delivered within the close timeout before the worker gives up (in fleet mode
 * within the fleet's budget), and the worker says so; what is still left stays in the outbox for the next start.
 */
async function deliverLeftOver(
  config: WorkerConfig,
  io: WorkerIo,
  workerId: string,
  local: DemoCampaign[] | undefined,
  smtpTarget: string,
): Promise<void> {
  // A first run has no outbox, and none is made for nothing.
  if (!existsSync(join(config.dataDir, OUTBOX_FILE))) return;
  const store = openOutbox(config.dataDir, io.log);
  const left = leftIn(store);
  if (left.events + left.statuses === 0) {
    store.close();
    return;
  }
  let fleet: Fleet | undefined;
  if (config.redisUrl !== undefined) {
    try {
      fleet = await joinFleet(config, config.redisUrl, workerId, io.log);
    } catch (error) {
      store.close();
      io.warn(`the ${updatesOf(left)} a previous run left stay in the outbox: ${(error as Error).message}`);
      return;
    }
  }
  const timeoutMs = closeTimeoutOf(config, left.campaigns);
  io.warn(
    `SMTP server ${smtpTarget} cannot be used: delivering the ${updatesOf(left)} a previous run left in the outbox first (within ${timeoutMs / 1000} s)`,
  );
  const { scheduler, deadLetters, stop } = startReporting(config, io, workerId, local, fleet, store);
  try {
    const report = await scheduler.close({ timeoutMs });
    const file = await keepUndelivered(config.dataDir, report, deadLetters);
    if (report.complete && file === null) {
      io.warn(`delivered the ${updatesOf(left)} a previous run left in the outbox`);
    } else if (report.complete) {
      io.warn(
        `the ${updatesOf(left)} a previous run left are settled: ${updatesOf(countOf(deadLetters))} refused for good by the server, kept in ${file}`,
      );
    } else {
      io.warn(
        `${updatesOf({ events: report.eventsLeft, statuses: report.statusesLeft })} a previous run left are still in the outbox (the main server did not take them within ${timeoutMs / 1000} s): they go at the next start`,
      );
    }
  } finally {
    await stop();
    await fleet?.close();
  }
}

/** What an outbox holds: events and statuses pending or in sealed batches, and the campaigns they belong to. */
function leftIn(store: SqliteStore): { events: number; statuses: number; campaigns: number } {
  const { batches, campaigns } = store.recover();
  const sealed = batches.flatMap(({ batch }) => batch.campaigns);
  const withUpdates = new Set(sealed.map((update) => update.campaignId));
  let statuses = sealed.filter((update) => update.status !== undefined).length;
  for (const { campaignId } of campaigns) {
    if (store.pendingStatus(campaignId) !== undefined) statuses++;
    if (store.pendingEvents(campaignId) > 0 || store.pendingStatus(campaignId) !== undefined)
      withUpdates.add(campaignId);
  }
  return {
    events: store.size + sealed.reduce((n, update) => n + update.events.length, 0),
    statuses,
    campaigns: withUpdates.size,
  };
}

/** `4 events and 1 status`. */
function updatesOf({ events, statuses }: { events: number; statuses: number }): string {
  const count = (n: number, noun: string, plural: string) => `${n} ${n === 1 ? noun : plural}`;
  if (statuses === 0) return count(events, 'event', 'events');
  if (events === 0) return count(statuses, 'status', 'statuses');
  return `${count(events, 'event', 'events')} and ${count(statuses, 'status', 'statuses')}`;
}

/** Dead letters refused 412 (an older owner epoch): in fleet mode, the campaign's new owner has their events. */
function fencedCount(letters: readonly DeadLetter[]): { events: number; statuses: number } {
  return countOf(letters.filter((letter) => letter.httpStatus === 412));
}

/** The events and the statuses of dead letters. */
function countOf(letters: readonly DeadLetter[]): { events: number; statuses: number } {
  return {
    events: letters.reduce((n, letter) => n + letter.events.length, 0),
    statuses: letters.filter((letter) => letter.status !== undefined).length,
  };
}

/** Fleet mode shares a main server and its campaigns: an embedded mock or a local campaigns file is one worker's. */
function checkFleetConfig(config: WorkerConfig): void {
  if (config.redisUrl === undefined) return;
  if (config.serverUrl === undefined) {
    throw new ConfigError('--redis-url: fleet mode needs the main server the fleet shares; give --server-url');
  }
  if (config.campaignsFile !== undefined) {
    throw new ConfigError("--campaigns: fleet mode takes the main server's campaigns; drop --campaigns");
  }
}

function joinFleet(config: WorkerConfig, redisUrl: string, workerId: string, log: (line: string) => void) {
  const settings = { redisUrl, budget: config.fleetBudget, windowMs: config.fleetWindowMs, name: config.fleetName };
  return Fleet.join(settings, workerId, log);
}

/** The outbox's file in the data folder. */
const OUTBOX_FILE = 'worker.db';

/**
 * The outbox and the recipient journal, in one SQLite file of the data folder: what the scheduler had not
 * delivered, and what became of every recipient, survive a crash.
 */
function openOutbox(dataDir: string, log: (line: string) => void): SqliteStore {
  const path = join(dataDir, OUTBOX_FILE);
  let store: SqliteStore;
  try {
    store = new SqliteStore({ path });
  } catch (error) {
    if (isStoreLockedError(error)) throw new ConfigError(`--data-dir: ${error.message}`);
    throw error;
  }
  const { damage } = store;
  if (damage !== undefined) {
    const lost = damage.lostEvents === undefined ? 'an unknown number of' : String(damage.lostEvents);
    log(
      `outbox ${path} was damaged (${damage.reason}): moved to ${damage.movedTo}; salvaged ${damage.salvaged.events} events and ${damage.salvaged.batches} batches, lost ${lost} events`,
    );
  }
  return store;
}

type Work = { campaign: Campaign; recipients: readonly Recipient[] };

/**
 * The campaigns to run: first those this worker took and did not finish (from its journal alone: a real main
 * server need not know which worker holds what), then the server's ready ones (or the local file's), journaled
 * as taken before their first email.
 */
async function takeCampaigns(
  local: DemoCampaign[] | undefined,
  embedded: boolean,
  serverUrl: string,
  intake: IntakeOptions,
  journal: RecipientJournal,
  log: (line: string) => void,
): Promise<Work[]> {
  const resumed = journal.unfinished(serverUrl);
  for (const { campaign, state } of resumed) {
    log(`taking up ${campaign.id} where it ${state === 'paused' ? 'was stopped' : 'stopped (the worker died)'}`);
  }
  const ours = new Set(resumed.map(({ campaign }) => campaign.id));
  let offered: Work[];
  try {
    // Local definitions are run as given; with the embedded mock they are also what it serves.
    offered =
      local !== undefined && !embedded
        ? local
        : await Promise.all(
            (await readyCampaigns(serverUrl, intake))
              .filter((campaign) => !ours.has(campaign.id))
              .map(async (campaign) => ({
                campaign,
                recipients: await recipientsOf(serverUrl, campaign.id, intake),
              })),
          );
  } catch (error) {
    // Stopped while taking campaigns: only what was resumed runs (and stops at once), and the summary says so.
    if (intake.signal.aborted) return resumed;
    throw error;
  }
  const fresh = offered.filter(({ campaign }) => {
    if (ours.has(campaign.id)) return false;
    if (!journal.isDone(serverUrl, campaign.id)) return true;
    log(`skipping ${campaign.id}: this worker completed it before (its journal says so)`);
    return false;
  });
  for (const { campaign, recipients } of fresh) journal.take(serverUrl, campaign, recipients);
  return [...resumed, ...fresh];
}
