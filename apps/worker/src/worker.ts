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
import { type IntakeOptions, readyCampaigns, recipientsOf } from './intake.js';
import { campaignJournal } from './journal/CampaignJournal.js';
import { RecipientJournal } from './journal/RecipientJournal.js';
import { createMailer } from './mail.js';
import { type ProgressMode, showProgress } from './progress/display.js';
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
  const local = config.campaignsFile === undefined ? undefined : readCampaignsFile(config.campaignsFile);
  const embedded = config.serverUrl === undefined;
  const sink = config.smtpUrl === undefined ? await startSmtpSink() : undefined;
  const smtpUrl = config.smtpUrl ?? (sink as NonNullable<typeof sink>).url;
  const mailer = createMailer(smtpUrl);
  // Before any campaign is taken: a mail server that cannot be used would turn every recipient into a failure.
  await mailer.verify().catch(async (error: unknown) => {
    mailer.close();
    await sink?.close();
    throw error;
  });
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
    workerId: `worker-${randomUUID().slice(0, 8)}`,
    minIntervalMs: config.minIntervalMs,
    maxConcurrent: config.maxConcurrent,
    ...io.schedulerOptions,
  });
  // Refused for good by the server: kept in the data folder and counted, never silently gone.
  const deadLetters: DeadLetter[] = [];
  scheduler.on('deadletter', (letter) => deadLetters.push(letter));
  const control = new Map<string, 'running' | 'paused' | 'cancelled'>();
  scheduler.on('control', ({ campaignId, state }) => control.set(campaignId, state));
  const serverView = watchRequests(scheduler, config.shape);

  try {
    const intake = { signal: io.stopping, onRetry: io.warn };
    const work = await takeCampaigns(local, embedded, serverUrl, intake, journal, io.log);
    io.log(
      `running ${work.length} campaign${work.length === 1 ? '' : 's'} (${work.reduce((n, w) => n + w.recipients.length, 0)} recipients); ` +
        `server: ${embedded ? 'embedded mock' : serverUrl} (${config.shape}); mail: ${sink ? `embedded sink ${smtpUrl}` : smtpUrl}`,
    );
    const progress = work.map(({ campaign, recipients }) => newProgress(campaign, recipients.length));
    const display = showProgress(io.progress, io.out, progress, serverView);
    await Promise.all(
      work.map(({ campaign, recipients }, i) =>
        runCampaign(campaign, recipients, progress[i] as CampaignProgress, {
          scheduler,
          mailer,
          control,
          stopping: io.stopping,
          journal: campaignJournal(journal, serverUrl, campaign.id),
          failureLimit: config,
        }),
      ),
    );
    // Enough time for every campaign's last updates, spaced (two requests each with the legacy shape).
    const closeTimeoutMs = config.closeTimeoutMs ?? Math.max(30_000, (2 * work.length + 1) * config.minIntervalMs);
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
    });
    await writeFile(join(config.dataDir, 'last-run.json'), JSON.stringify(summary, null, 2));
    return { summary, mock, mailReceived: sink?.received };
  } finally {
    await scheduler.close({ timeoutMs: 0 });
    store.close();
    mailer.close();
    stopMock?.();
    await sink?.close();
  }
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
