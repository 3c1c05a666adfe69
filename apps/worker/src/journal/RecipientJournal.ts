import type { Campaign, Recipient } from '@scope/contract';
import type { RecipientEvent } from '@scope/scheduler';
import type { SqliteStore } from '@scope/sqlite-store';

/** Where a recipient is in its send, as the journal knows it. */
export type RecipientState = 'claimed' | 'sent' | 'failed' | 'bounced' | 'in-doubt';

/** A campaign this worker took, as the journal keeps it. */
export interface JournaledCampaign {
  readonly campaign: Campaign;
  readonly recipients: readonly Recipient[];
  /** `paused`: stopped by a signal, to be taken up at the next start. */
  readonly state: 'running' | 'paused' | 'done';
}

/** A recipient whose email may or may not have gone: the process died between the claim and the outcome. */
export interface InDoubtRecipient {
  readonly campaignId: string;
  readonly recipientId: string;
  readonly email: string;
  readonly claimedAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS journal_campaigns (
  server TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  campaign TEXT NOT NULL,
  recipients TEXT NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (server, campaign_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal_recipients (
  campaign_id TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  email TEXT NOT NULL,
  state TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  event TEXT,
  recorded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, recipient_id)
) WITHOUT ROWID;
`;

/**
 * The worker's journal of recipients, in the outbox's own file so a recipient's outcome and its event are written
 * in one transaction. A recipient is *claimed* (committed) before its email goes; its outcome is written with the
 * event that reports it. After a crash, a claimed recipient without an outcome is in doubt: never mailed again.
 * Each recipient's event has an id of its own (`eventIdOf`), so the server applies at most one outcome for it.
 */
export class RecipientJournal {
  readonly #store: SqliteStore;

  constructor(store: SqliteStore) {
    this.#store = store;
    store.transaction((db) => db.exec(SCHEMA));
  }

  /** Campaigns taken from `server` and not done: to be taken up again, with their recipients as they were. */
  unfinished(server: string): JournaledCampaign[] {
    const rows = this.#store.database
      .prepare(`SELECT campaign, recipients, state FROM journal_campaigns WHERE server = ? AND state != 'done'`)
      .raw()
      .all(server) as [string, string, JournaledCampaign['state']][];
    return rows.map(([campaign, recipients, state]) => ({
      campaign: JSON.parse(campaign),
      recipients: JSON.parse(recipients),
      state,
    }));
  }

  /** Whether the campaign was completed by this worker (against `server`). */
  isDone(server: string, campaignId: string): boolean {
    const state = this.#store.database
      .prepare(`SELECT state FROM journal_campaigns WHERE server = ? AND campaign_id = ?`)
      .pluck()
      .get(server, campaignId);
    return state === 'done';
  }

  /** Forgets the campaigns done against `server` (the embedded mock starts afresh at every run). */
  forgetDone(server: string): void {
    this.#store.transaction((db) => {
      const done = db
        .prepare(`SELECT campaign_id FROM journal_campaigns WHERE server = ? AND state = 'done'`)
        .pluck()
        .all(server) as string[];
      const recipients = db.prepare(`DELETE FROM journal_recipients WHERE campaign_id = ?`);
      for (const id of done) recipients.run(id);
      db.prepare(`DELETE FROM journal_campaigns WHERE server = ? AND state = 'done'`).run(server);
    });
  }

  /** Journals a campaign taken from `server`, with its recipients. */
  take(server: string, campaign: Campaign, recipients: readonly Recipient[]): void {
    this.#store.transaction((db) =>
      db
        .prepare(
          `INSERT INTO journal_campaigns VALUES (?, ?, ?, ?, 'running')
           ON CONFLICT (server, campaign_id) DO UPDATE SET state = 'running'`,
        )
        .run(server, campaign.id, JSON.stringify(campaign), JSON.stringify(recipients)),
    );
  }

  setState(server: string, campaignId: string, state: JournaledCampaign['state']): void {
    this.#store.transaction((db) =>
      db
        .prepare(`UPDATE journal_campaigns SET state = ? WHERE server = ? AND campaign_id = ?`)
        .run(state, server, campaignId),
    );
  }

  /** What became of each recipient of a campaign the journal knows. */
  states(campaignId: string): Map<string, RecipientState> {
    const rows = this.#store.database
      .prepare(`SELECT recipient_id, state FROM journal_recipients WHERE campaign_id = ?`)
      .raw()
      .all(campaignId) as [string, RecipientState][];
    return new Map(rows);
  }

  /** Claims a recipient before its email goes; on disk when this returns. */
  claim(campaignId: string, recipient: Recipient): void {
    this.#store.transaction((db) =>
      db
        .prepare(
          `INSERT INTO journal_recipients (campaign_id, recipient_id, email, state, claimed_at) VALUES (?, ?, ?, 'claimed', ?)`,
        )
        .run(campaignId, recipient.id, recipient.email, Date.now()),
    );
  }

  /**
   * Writes a recipient's outcome and its event. `recorded` says the event is in the outbox already (recorded in
   * this same transaction); if not, it is recorded again from here at the next start.
   */
  settle(campaignId: string, recipientId: string, event: RecipientEvent, recorded: boolean): void {
    this.#store.transaction((db) =>
      db
        .prepare(
          `UPDATE journal_recipients SET state = ?, event = ?, recorded = ? WHERE campaign_id = ? AND recipient_id = ?`,
        )
        .run(
          event.outcome === 'skipped' ? 'in-doubt' : event.outcome,
          JSON.stringify(event),
          recorded ? 1 : 0,
          campaignId,
          recipientId,
        ),
    );
  }

  /** The event is in the outbox now (it waited for room in the scheduler). */
  markRecorded(campaignId: string, recipientId: string): void {
    this.#store.transaction((db) =>
      db
        .prepare(`UPDATE journal_recipients SET recorded = 1 WHERE campaign_id = ? AND recipient_id = ?`)
        .run(campaignId, recipientId),
    );
  }

  /** Outcomes journaled whose event never reached the outbox (the process stopped while it waited for room). */
  unrecorded(campaignId: string): RecipientEvent[] {
    const rows = this.#store.database
      .prepare(`SELECT event FROM journal_recipients WHERE campaign_id = ? AND recorded = 0 AND event IS NOT NULL`)
      .pluck()
      .all(campaignId) as string[];
    return rows.map((text) => JSON.parse(text) as RecipientEvent);
  }

  /** Recipients claimed and never settled: the process died while their email was being sent. */
  claimedWithoutOutcome(campaignId: string): InDoubtRecipient[] {
    const rows = this.#store.database
      .prepare(
        `SELECT recipient_id, email, claimed_at FROM journal_recipients WHERE campaign_id = ? AND state = 'claimed'`,
      )
      .raw()
      .all(campaignId) as [string, string, number][];
    return rows.map(([recipientId, email, claimedAt]) => ({
      campaignId,
      recipientId,
      email,
      claimedAt: new Date(claimedAt).toISOString(),
    }));
  }

  /** Every recipient ever found in doubt, over all campaigns. */
  inDoubt(): InDoubtRecipient[] {
    const rows = this.#store.database
      .prepare(`SELECT campaign_id, recipient_id, email, claimed_at FROM journal_recipients WHERE state = 'in-doubt'`)
      .raw()
      .all() as [string, string, string, number][];
    return rows.map(([campaignId, recipientId, email, claimedAt]) => ({
      campaignId,
      recipientId,
      email,
      claimedAt: new Date(claimedAt).toISOString(),
    }));
  }
}
