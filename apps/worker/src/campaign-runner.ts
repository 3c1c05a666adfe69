import type { Campaign, Recipient } from '@scope/contract';
import type { RecipientEvent, ServerUpdateScheduler } from '@scope/scheduler';
import { type FailureLimit, failingTooMuch, recentSends } from './failure-window.js';
import { type CampaignJournal, eventIdOf, inDoubtEvent } from './journal/CampaignJournal.js';
import type { Mailer } from './mail.js';
import { sleep } from './sleep.js';

/** A campaign's progress, updated as it runs; the progress display and the summary read it. */
export interface CampaignProgress {
  readonly id: string;
  readonly name: string;
  readonly emailsPerMinute: number;
  readonly total: number;
  sent: number;
  failed: number;
  bounced: number;
  /** Recipients whose email may or may not have gone (the worker died mid-send): reported, never sent again. */
  inDoubt: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  state: 'waiting' | 'running' | 'paused' | 'completed' | 'cancelled' | 'stopped';
  /** Why the worker paused the campaign itself (its sends were failing), if it did. */
  pausedBecause: string | undefined;
}

export interface RunnerContext {
  readonly scheduler: ServerUpdateScheduler;
  readonly mailer: Mailer;
  /** What the server asked of each campaign in its bulk answers. */
  readonly control: ReadonlyMap<string, 'running' | 'paused' | 'cancelled'>;
  /** Aborts when the worker is asked to stop: no new recipient is started. */
  readonly stopping: AbortSignal;
  /** The campaign's part of the recipient journal: recipients claimed before they are mailed, never twice. */
  readonly journal?: CampaignJournal;
  /** When its sends fail too much, the campaign is paused rather than run through to a pile of failures. */
  readonly failureLimit: FailureLimit;
  /** In fleet mode: this worker's ownership of the campaign, fenced (see {@link CampaignOwner}). */
  readonly owner?: CampaignOwner;
}

/**
 * A worker's ownership of a campaign in a fleet: the epoch its updates carry (a server that fences refuses older
 * ones), where the previous owners left the campaign, and a fenced claim before each send.
 */
export interface CampaignOwner {
  readonly epoch: number;
  /** What the previous owners left: recipients before `next` are done; `inDoubt` was being sent when they stopped. */
  readonly resume: CampaignCheckpoint | undefined;
  /** Before the email to `recipients[index]` goes: false once another worker owns the campaign (stop at once). */
  claim(index: number, progress: CampaignProgress): Promise<boolean>;
  /** After it went: the outcome's event, kept until the server acknowledges it (a next owner records it again). */
  settle(index: number, event: RecipientEvent, progress: CampaignProgress): Promise<void>;
  /** Aborts when the ownership is lost or handed back. */
  readonly signal: AbortSignal;
}

/** Where a campaign stands for whoever owns it next (kept in the fleet's Redis, written fenced). */
export interface CampaignCheckpoint {
  readonly next: number;
  readonly inDoubt?: number;
  readonly sent: number;
  readonly failed: number;
  readonly bounced: number;
  readonly inDoubtCount: number;
  /** Events recorded and not yet acknowledged by the server: recorded again by the next owner (same event ids). */
  readonly unacknowledged: readonly RecipientEvent[];
}

export function newProgress(campaign: Campaign, total: number): CampaignProgress {
  return {
    id: campaign.id,
    name: campaign.name,
    emailsPerMinute: campaign.emailsPerMinute,
    total,
    sent: 0,
    failed: 0,
    bounced: 0,
    inDoubt: 0,
    startedAt: undefined,
    endedAt: undefined,
    state: 'waiting',
    pausedBecause: undefined,
  };
}

/**
 * Sends a campaign at its rate and reports every outcome and status through the scheduler. Each send is timed
 * from the campaign's start (start + i × interval), so the pace does not drift however long it runs; a pause asked
 * by the server shifts the schedule by its length. Stops starting new recipients when `stopping` aborts, and pauses
 * the campaign (`pausedBecause` says why) when its recent sends mostly fail, so a broken mail server costs a few
 * recipients rather than all of them.
 */
export async function runCampaign(
  campaign: Campaign,
  recipients: readonly Recipient[],
  progress: CampaignProgress,
  { scheduler, mailer, control, stopping: workerStopping, journal, failureLimit, owner }: RunnerContext,
): Promise<CampaignProgress> {
  const intervalMs = 60_000 / campaign.emailsPerMinute;
  const stopping = owner === undefined ? workerStopping : AbortSignal.any([workerStopping, owner.signal]);
  scheduler.registerCampaign(campaign.id, {
    emailsPerMinute: campaign.emailsPerMinute,
    total: recipients.length,
    ...(owner === undefined ? {} : { ownerEpoch: owner.epoch }),
  });
  // Taken up after a stop or a crash: what the journal knows is counted, and never sent again.
  const known = journal?.resume((event) => scheduler.record(campaign.id, event), progress) ?? new Map();
  // Taken over in a fleet: what the previous owners did is counted and their unacknowledged events recorded again.
  const firstIndex = owner === undefined ? 0 : takeOver(campaign.id, recipients, owner.resume, scheduler, progress);
  // A status's seq rises across runs too (a worker taking a campaign up again must not look stale): time-based.
  let seq = 0;
  const status = (state: 'running' | 'paused' | 'completed' | 'cancelled') => {
    seq = Math.max(seq + 1, Date.now());
    scheduler.setStatus(campaign.id, {
      state,
      sent: progress.sent,
      failed: progress.failed + progress.bounced,
      total: recipients.length,
      seq,
    });
  };
  const stopped = new Promise<void>((resolve) => stopping.addEventListener('abort', () => resolve(), { once: true }));
  progress.startedAt = Date.now();
  progress.state = 'running';
  status('running');
  let origin = progress.startedAt;
  let index = -1;
  let recent: boolean[] = [];
  for (const [position, recipient] of recipients.entries()) {
    if (position < firstIndex || known.has(recipient.id)) continue;
    index++;
    await sleep(origin + index * intervalMs - Date.now(), stopping);
    while (control.get(campaign.id) === 'paused' && !stopping.aborted) {
      // Saying "paused" again each second keeps one update a reporting interval going to the server: its
      // answer is where a "running" comes back (coalesced, it costs no extra request).
      status('paused');
      progress.state = 'paused';
      const pausedAt = Date.now();
      await sleep(1_000, stopping);
      origin += Date.now() - pausedAt;
    }
    if (stopping.aborted || control.get(campaign.id) === 'cancelled') break;
    if (progress.state === 'paused') status('running');
    progress.state = 'running';
    if (owner !== undefined && !(await owner.claim(position, progress))) break;
    journal?.claim(recipient);
    const result = await mailer.send({
      from: campaign.from,
      to: recipient.email,
      subject: campaign.subject,
      text: campaign.body,
    });
    if (result.outcome === 'sent') progress.sent++;
    else if (result.outcome === 'bounced') progress.bounced++;
    else progress.failed++;
    const event: RecipientEvent = {
      eventId: eventIdOf(recipient.id),
      recipientId: recipient.id,
      email: recipient.email,
      outcome: result.outcome,
      at: new Date().toISOString(),
      ...(result.messageId ? { messageId: result.messageId } : {}),
      ...(result.error ? { error: result.error } : {}),
    };
    const admitted = scheduler.record(campaign.id, event);
    // The outcome and its event are written together (the event is in the outbox unless it waits for room).
    journal?.settle(event, admitted === undefined);
    await owner?.settle(position, event, progress);
    // While the scheduler is full this waits for room; a stop ends the wait (close() then reports the event).
    if (admitted !== undefined) await Promise.race([admitted, stopped]);
    recent = recentSends(recent, result.outcome === 'failed', failureLimit);
    if (failingTooMuch(recent, failureLimit)) {
      const failed = recent.filter(Boolean).length;
      progress.pausedBecause = `SMTP server ${mailer.target}: ${failed} of the last ${recent.length} sends failed (last: ${result.error})`;
      break;
    }
    status('running');
  }
  progress.endedAt = Date.now();
  const done = progress.sent + progress.failed + progress.bounced + progress.inDoubt === recipients.length;
  // Failing sends pause a campaign whichever recipient crossed the limit, the last one too: the mail server is
  // what to fix, and the campaign is completed once taken up again (with nothing left to send).
  if (control.get(campaign.id) === 'cancelled') progress.state = 'cancelled';
  else if (progress.pausedBecause !== undefined) progress.state = 'paused';
  else progress.state = done ? 'completed' : 'stopped';
  // A worker stopped mid-campaign, or whose mail is failing, leaves it paused on the server, to be taken up again;
  // one that lost the campaign to another worker says nothing more (the server would refuse it, fenced).
  const left = progress.state === 'stopped' || progress.state === 'paused';
  if (!owner?.signal.aborted || workerStopping.aborted)
    status(left ? 'paused' : (progress.state as 'completed' | 'cancelled'));
  journal?.finish(left ? 'paused' : 'done');
  return progress;
}

/**
 * Takes a campaign over from the fleet's checkpoint: counts what the previous owners did, reports the recipient they
 * were sending in doubt (never mailed again), and records their unacknowledged events again (the server applies an
 * event id once). Returns the index of the first recipient left to send.
 */
function takeOver(
  campaignId: string,
  recipients: readonly Recipient[],
  from: CampaignCheckpoint | undefined,
  scheduler: ServerUpdateScheduler,
  progress: CampaignProgress,
): number {
  if (from === undefined) return 0;
  progress.sent = from.sent;
  progress.failed = from.failed;
  progress.bounced = from.bounced;
  progress.inDoubt = from.inDoubtCount;
  for (const event of from.unacknowledged) void scheduler.record(campaignId, event);
  if (from.inDoubt === undefined) return from.next;
  const doubt = recipients[from.inDoubt];
  if (doubt !== undefined) {
    progress.inDoubt++;
    void scheduler.record(campaignId, inDoubtEvent(doubt.id, doubt.email));
  }
  return from.inDoubt + 1;
}
