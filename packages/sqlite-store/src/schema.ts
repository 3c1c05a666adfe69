/**
 * The outbox's tables. Pending events are rows appended in order (their id is their order); a campaign's row
 * holds its newest seq and its pending status; a sealed batch is one row, its position its place in the order.
 * `meta` keeps the counts the store expects to find, so a file that turns out damaged can say what it lost.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value ANY
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_events (
  id INTEGER PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_events_by_campaign ON pending_events (campaign_id, id);
CREATE TABLE IF NOT EXISTS campaigns (
  campaign_id TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  finished INTEGER NOT NULL,
  status TEXT,
  status_seq INTEGER,
  status_at INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sealed_batches (
  position INTEGER NOT NULL,
  batch_id TEXT PRIMARY KEY,
  batch TEXT NOT NULL,
  events INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  invalid_answers INTEGER NOT NULL,
  not_before INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY,
  batch_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  events INTEGER NOT NULL,
  letter TEXT NOT NULL
);
`;

/** Keys of `meta`. */
export const META = {
  version: 'schema_version',
  quietUntil: 'quiet_until',
  /** Events the store holds (pending or in sealed batches), as of the last commit. */
  events: 'events',
  /** Set while a process has the file open; found set at open, the last one did not close it. */
  open: 'open',
} as const;
