import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Campaign, Recipient } from '@scope/contract';
import { createMockServer, type DemoCampaign, type MockServer, startInProcess } from '@scope/mock-server';
import { createHttpTransport, type DeadLetter, type SchedulerOptions, ServerUpdateScheduler } from '@scope/scheduler';
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
  await mailer.verify().catch(async (error: unknown) => {
    mailer.close();
    await sink?.close();
    throw error;
  });
  const fleet = config.redisUrl === undefined ? undefined : await joinFleet(config, config.redisUrl, workerId, io.log);
  const mock = embedded ? createMockServer({ campaigns: local ?? demoSet(), faults: config.faults }) : undefined;
  const stopMock = mock ? startInProcess(mock) : undefined;
  const serverUrl = config.serverUrl ?? EMBEDDED_SERVER_URL;
  const store = openOutbox(config.dataDir, io.log);
  const journal = new RecipientJournal(store);
  // The embedded mock starts afresh at every run: campaigns done against it are forgotten, unfinished ones resumed.
  if (embedded) journal.forgetDone(serverUrl);
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
  // Refused for good by the server: kept in the data folder and counted, never silently gone.
  const deadLetters: DeadLetter[] = [];
  scheduler.on('deadletter', (letter) => deadLetters.push(letter));
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
    // Enough time for every campaign's last updates, spaced (two requests each with the legacy shape).
    const closeTimeoutMs = config.closeTimeoutMs ?? Math.max(30_000, (2 * progress.length + 1) * config.minIntervalMs);
    const report = await scheduler.close({ timeoutMs: closeTimeoutMs });
    display.stop();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let undeliveredFile: string | null = null;
    if (!report.complete || deadLetters.length > 0) {
      // Kept so nothing recorded is lost: unsent updates, batches to resend with the same ids, and what the
      // server refused for good, with its reasons.
      undeliveredFile = join(config.dataDir, `undelivered-${stamp}.json`);
      const kept = { unsent: report.unsent, unacknowledged: report.unacknowledged, deadLetters };
      await writeFile(undeliveredFile, JSON.stringify(kept, null, 2));
    }
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
    await scheduler.close({ timeoutMs: 0 });
    await fleet?.close();
    store.close();
    mailer.close();
    stopMock?.();
    await sink?.close();
  }
}

/** Dead letters refused 412 (an older owner epoch): in fleet mode, the campaign's new owner has their events. */
function fencedCount(letters: readonly DeadLetter[]): { events: number; statuses: number } {
  const fenced = letters.filter((letter) => letter.httpStatus === 412);
  return {
    events: fenced.reduce((n, letter) => n + letter.events.length, 0),
    statuses: fenced.filter((letter) => letter.status !== undefined).length,
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

/**
 * The outbox and the recipient journal, in one SQLite file of the data folder: what the scheduler had not
 * delivered, and what became of every recipient, survive a crash.
 */
function openOutbox(dataDir: string, log: (line: string) => void): SqliteStore {
  const path = join(dataDir, 'worker.db');
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
