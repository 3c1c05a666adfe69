import { createHash } from 'node:crypto';
import type { Recipient } from '@scope/contract';
import type { RecipientEvent } from '@scope/scheduler';
import type { CampaignProgress } from '../campaign-runner.js';
import type { RecipientJournal, RecipientState } from './RecipientJournal.js';

/** One campaign's part of the {@link RecipientJournal}, as the campaign runner uses it. */
export interface CampaignJournal {
  /**
   * Takes the campaign up where the journal left it: reports each recipient in doubt (once, as `skipped`),
   * records again the outcomes whose events never reached the outbox, counts what is done into `progress`, and
   * returns what became of every recipient it knows (none of them is mailed again).
   */
  resume(
    record: (event: RecipientEvent) => void | Promise<void>,
    progress: CampaignProgress,
  ): Map<string, RecipientState>;
  /** Before the email goes: on disk when this returns. */
  claim(recipient: Recipient): void;
  /** The outcome and its event; `recorded` when the event went into the outbox in the same tick. */
  settle(event: RecipientEvent, recorded: boolean): void;
  /** The campaign ended (`done`) or stopped on a signal (`paused`, taken up at the next start). */
  finish(state: 'paused' | 'done'): void;
}

/** Why an in-doubt recipient is reported as skipped, never mailed again. */
export const IN_DOUBT_REASON =
  'in doubt: the worker stopped while this email was being sent, so it may or may not have gone; it is not sent again (a recipient is never mailed twice): check the mail server log';

export function campaignJournal(journal: RecipientJournal, server: string, campaignId: string): CampaignJournal {
  return {
    resume(record, progress) {
      for (const doubt of journal.claimedWithoutOutcome(campaignId)) {
        const event = inDoubtEvent(doubt.recipientId, doubt.email);
        journal.settle(campaignId, doubt.recipientId, event, record(event) === undefined);
      }
      for (const event of journal.unrecorded(campaignId)) {
        if (record(event) === undefined) journal.markRecorded(campaignId, event.recipientId);
      }
      const states = journal.states(campaignId);
      for (const state of states.values()) {
        if (state === 'sent') progress.sent++;
        else if (state === 'bounced') progress.bounced++;
        else if (state === 'failed') progress.failed++;
        else if (state === 'in-doubt') progress.inDoubt++;
      }
      return states;
    },
    claim: (recipient) => journal.claim(campaignId, recipient),
    settle: (event, recorded) => journal.settle(campaignId, event.recipientId, event, recorded),
    finish: (state) => journal.setState(server, campaignId, state),
  };
}

/** The event that reports a recipient in doubt: `skipped`, with the reason; under the recipient's one event id. */
export function inDoubtEvent(recipientId: string, email: string): RecipientEvent {
  return {
    eventId: eventIdOf(recipientId),
    recipientId,
    email,
    outcome: 'skipped',
    at: new Date().toISOString(),
    error: IN_DOUBT_REASON,
  };
}

/**
 * The id of the one event that reports a recipient: the server applies an event id once per campaign, so a
 * recipient's outcome recorded again after a crash, or an in-doubt report, is never applied twice.
 */
export function eventIdOf(recipientId: string): string {
  const plain = `r.${recipientId}`;
  if (/^[\x21-\x7e]{1,200}$/.test(plain)) return plain;
  return `r#${createHash('sha256').update(recipientId).digest('hex')}`;
}
