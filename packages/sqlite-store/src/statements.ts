import type { Statement } from 'better-sqlite3';
import type { Db } from './open.js';

/** Every statement the outbox runs, prepared once. */
export interface OutboxStatements {
  readonly insertEvent: Statement;
  readonly deleteEvent: Statement;
  readonly pendingOf: Statement;
  readonly upsertCampaign: Statement;
  readonly clearStatus: Statement;
  readonly deleteCampaign: Statement;
  readonly insertBatch: Statement;
  readonly deleteBatch: Statement;
  readonly positionOf: Statement;
  readonly reschedule: Statement;
  readonly insertLetter: Statement;
  readonly letters: Statement;
  readonly setMeta: Statement;
}

export function prepare(db: Db): OutboxStatements {
  return {
    insertEvent: db.prepare(`INSERT INTO pending_events (id, campaign_id, recorded_at, event) VALUES (?, ?, ?, ?)`),
    deleteEvent: db.prepare(`DELETE FROM pending_events WHERE id = ?`),
    pendingOf: db.prepare(`SELECT id, event FROM pending_events WHERE campaign_id = ? AND id > ? ORDER BY id LIMIT ?`),
    upsertCampaign: db.prepare(
      `INSERT INTO campaigns (campaign_id, last_seq, finished, status, status_seq, status_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(campaign_id) DO UPDATE SET last_seq = excluded.last_seq, finished = excluded.finished,
         status = excluded.status, status_seq = excluded.status_seq, status_at = excluded.status_at`,
    ),
    // Only the status that was taken: a newer one set meanwhile stays pending.
    clearStatus: db.prepare(
      `UPDATE campaigns SET status = NULL, status_seq = NULL, status_at = NULL WHERE campaign_id = ? AND status_seq = ?`,
    ),
    deleteCampaign: db.prepare(`DELETE FROM campaigns WHERE campaign_id = ?`),
    insertBatch: db.prepare(
      `INSERT INTO sealed_batches (position, batch_id, batch, events, attempt, invalid_answers, not_before) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteBatch: db.prepare(`DELETE FROM sealed_batches WHERE batch_id = ?`),
    positionOf: db.prepare(`SELECT position FROM sealed_batches WHERE batch_id = ?`),
    reschedule: db.prepare(
      `UPDATE sealed_batches SET attempt = ?, invalid_answers = ?, not_before = ? WHERE batch_id = ?`,
    ),
    insertLetter: db.prepare(`INSERT INTO dead_letters (batch_id, campaign_id, events, letter) VALUES (?, ?, ?, ?)`),
    letters: db.prepare(`SELECT letter FROM dead_letters ORDER BY id`),
    setMeta: db.prepare(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    ),
  };
}
