import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Campaign, Recipient } from '@scope/contract';
import { createMockServer, type DemoCampaign, type MockServer, startInProcess } from '@scope/mock-server';
import { createHttpTransport, type DeadLetter, type SchedulerOptions, ServerUpdateScheduler } from '@scope/scheduler';
import { type CampaignProgress, newProgress, runCampaign } from './campaign-runner.js';
import { demoSet, readCampaignsFile } from './campaigns.js';
import { ConfigError, type WorkerConfig } from './config.js';
import { readyCampaigns, recipientsOf } from './intake.js';
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
  const mock = embedded ? createMockServer({ campaigns: local ?? demoSet(), faults: config.faults }) : undefined;
  const stopMock = mock ? startInProcess(mock) : undefined;
  const sink = config.smtpUrl === undefined ? await startSmtpSink() : undefined;
  const serverUrl = config.serverUrl ?? EMBEDDED_SERVER_URL;
  const smtpUrl = config.smtpUrl ?? (sink as NonNullable<typeof sink>).url;
  const mailer = createMailer(smtpUrl);
  const scheduler = new ServerUpdateScheduler({
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
    const work = await takeCampaigns(local, embedded, serverUrl, io.stopping);
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
    const summary = buildSummary({
      campaigns: progress,
      server: serverView(),
      target: embedded ? 'embedded mock' : serverUrl,
      shape: config.shape,
      report,
      duplicates: mock ? mock.state.summary().duplicateEvents : null,
      eventsAtServer: mock ? mock.state.summary().eventsApplied : null,
      undeliveredFile,
      mailTarget: sink ? `embedded SMTP sink ${sink.url}` : smtpUrl,
      mailReceived: sink ? [...sink.received.values()].reduce((a, b) => a + b, 0) : null,
    });
    await writeFile(join(config.dataDir, 'last-run.json'), JSON.stringify(summary, null, 2));
    return { summary, mock, mailReceived: sink?.received };
  } finally {
    await scheduler.close({ timeoutMs: 0 });
    mailer.close();
    stopMock?.();
    await sink?.close();
  }
}

/** The data folder must be writable before any mail goes out: what the run could not deliver is kept there. */
async function checkDataDir(dir: string): Promise<void> {
  const probe = join(dir, `.write-check-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    throw new ConfigError(
      `--data-dir: cannot write to ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

async function takeCampaigns(
  local: DemoCampaign[] | undefined,
  embedded: boolean,
  serverUrl: string,
  stopping: AbortSignal,
): Promise<Array<{ campaign: Campaign; recipients: readonly Recipient[] }>> {
  // Local definitions are run as given; with the embedded mock they are also what it serves.
  if (local !== undefined && !embedded) return local;
  try {
    const campaigns = await readyCampaigns(serverUrl, stopping);
    return await Promise.all(
      campaigns.map(async (campaign) => ({
        campaign,
        recipients: await recipientsOf(serverUrl, campaign.id, stopping),
      })),
    );
  } catch (error) {
    // Stopped while taking campaigns: there is no work, and the summary says so.
    if (stopping.aborted) return [];
    throw error;
  }
}
