import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreLockedError } from './errors/StoreLockedError.js';
import { META, SCHEMA, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

/**
 * What an outbox file holds, read at open. Pending events are only summed up per campaign (one pass in SQLite, no
 * row crosses into JavaScript), so a restart with many of them pending is quick; they are read when taken.
 */
export interface StoredRows {
  /** Per campaign: [campaign id, pending events, the earliest recorded at, the last id]. */
  readonly pending: [string, number, number, number][];
  /** The next event id (above every id in the file). */
  readonly nextEventId: number;
  /** [campaign id, last seq, finished (0/1), status JSON or null, status seq, status at]. */
  readonly campaigns: [string, number, number, string | null, number | null, number | null][];
  /** [batch id, batch JSON, attempt, invalid answers, not before, position], in order. */
  readonly batches: [string, string, number, number, number, number][];
  readonly quietUntil: number | undefined;
  /** Events the file said it held at its last commit (undefined if it could not say). */
  readonly expectedEvents: number | undefined;
}

/** What was found wrong with an outbox file at open, and what became of it. */
export interface StoreDamage {
  /** Where the damaged file was moved (its `-wal` beside it); a fresh file took its place. */
  readonly movedTo: string;
  /** What SQLite said. */
  readonly reason: string;
  /** What could still be read from it and is in the fresh file. */
  readonly salvaged: { readonly events: number; readonly batches: number; readonly campaigns: number };
  /**
   * Events the damaged file held that could not be read: its own count at its last commit less those salvaged.
   * Undefined when the file could not say how many it held.
   */
  readonly lostEvents: number | undefined;
}

export interface OpenedOutbox {
  readonly db: Db;
  readonly rows: StoredRows;
  readonly damage: StoreDamage | undefined;
}

/**
 * Opens (or makes) the outbox file and reads it whole. The file is locked for this process (a second one is
 * refused with {@link StoreLockedError}). A damaged file is never a crash loop: what can be read is salvaged into
 * a fresh file, the damaged one is moved aside, and the loss is counted.
 */
export function openOutbox(path: string, synchronous: 'NORMAL' | 'FULL', check: 'after-crash' | 'always' | 'never') {
  mkdirSync(dirname(path), { recursive: true });
  let db: Db | undefined;
  try {
    db = connect(path, synchronous);
    const crashed = db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(META.open) === 1;
    if (check === 'always' || (check === 'after-crash' && crashed)) checkIntegrity(db);
    const rows = readRows(db);
    markOpen(db);
    return { db, rows, damage: undefined } satisfies OpenedOutbox;
  } catch (error) {
    db?.close();
    if (!isDamage(error)) throw error;
    return recover(path, synchronous, error);
  }
}

/** Whether SQLite (or the store's own reading) says the file is damaged, as opposed to busy or unwritable. */
function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
  return error instanceof DamageError;
}

class DamageError extends Error {}

function connect(path: string, synchronous: 'NORMAL' | 'FULL'): Db {
  const db = new Database(path, { timeout: 0 });
  try {
    // Exclusive: the lock is taken at the first write below and held until close, so no second process can
    // send this outbox's batches; in WAL mode it also means no shared-memory file beside it.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    // 64 MiB of page cache: reading a large outbox at open (one pass over its index) stays in memory.
    db.pragma('cache_size = -65536');
    db.exec(SCHEMA);
    const version = db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(META.version);
    if (version === undefined) db.prepare(`INSERT INTO meta VALUES (?, ?)`).run(META.version, SCHEMA_VERSION);
    else if (version !== SCHEMA_VERSION) {
      throw new Error(`The outbox ${path} has schema version ${String(version)}; this store reads ${SCHEMA_VERSION}`);
    }
    // A write, so the exclusive lock is ours from now on.
    db.prepare(`INSERT INTO meta VALUES (?, 0) ON CONFLICT(key) DO NOTHING`).run(META.open);
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: unknown })?.code === 'SQLITE_BUSY') throw new StoreLockedError(path);
    throw error;
  }
}

function markOpen(db: Db): void {
  db.prepare(`UPDATE meta SET value = 1 WHERE key = ?`).run(META.open);
}

function checkIntegrity(db: Db): void {
  const problems = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
  const said = problems.map((row) => row.quick_check).filter((line) => line !== 'ok');
  if (said.length > 0) throw new DamageError(`integrity check: ${said.slice(0, 3).join('; ')}`);
}

function readRows(db: Db): StoredRows {
  // One pass over the index (campaign, id), which covers it; then the time of each campaign's first row (rows are
  // dated in the order of their ids).
  const firstAt = db.prepare(`SELECT recorded_at FROM pending_events WHERE id = ?`).pluck();
  const pending = (
    db
      .prepare(`SELECT campaign_id, count(*), min(id), max(id) FROM pending_events GROUP BY campaign_id ORDER BY 3`)
      .raw()
      .all() as [string, number, number, number][]
  ).map(([campaignId, count, first, last]): StoredRows['pending'][number] => [
    campaignId,
    count,
    firstAt.get(first) as number,
    last,
  ]);
  const lastId = db.prepare(`SELECT max(id) FROM pending_events`).pluck().get() as number | null;
  const campaigns = db
    .prepare(`SELECT campaign_id, last_seq, finished, status, status_seq, status_at FROM campaigns`)
    .raw()
    .all();
  const batches = db
    .prepare(
      `SELECT batch_id, batch, attempt, invalid_answers, not_before, position FROM sealed_batches ORDER BY position, batch_id`,
    )
    .raw()
    .all();
  const meta = new Map(db.prepare(`SELECT key, value FROM meta`).raw().all() as [string, unknown][]);
  const quiet = meta.get(META.quietUntil);
  const expected = meta.get(META.events);
  return {
    pending,
    nextEventId: (lastId ?? 0) + 1,
    campaigns: campaigns as StoredRows['campaigns'],
    batches: batches as StoredRows['batches'],
    quietUntil: typeof quiet === 'number' ? quiet : undefined,
    expectedEvents: typeof expected === 'number' ? expected : undefined,
  };
}

/** Reads what can be read of a damaged file, moves it aside, and starts a fresh one holding what was read. */
function recover(path: string, synchronous: 'NORMAL' | 'FULL', cause: unknown): OpenedOutbox {
  const movedTo = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  }
  const salvaged = salvageCopy(movedTo);
  const db = connect(path, synchronous);
  db.transaction(() => {
    const event = db.prepare(`INSERT INTO pending_events VALUES (?, ?, ?, ?)`);
    for (const row of salvaged.rows.events) event.run(row);
    const campaign = db.prepare(`INSERT INTO campaigns VALUES (?, ?, ?, ?, ?, ?)`);
    for (const row of salvaged.rows.campaigns) campaign.run(row);
    const batch = db.prepare(
      `INSERT INTO sealed_batches (batch_id, batch, attempt, invalid_answers, not_before, position, events) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const row of salvaged.rows.batches) batch.run(...row, eventsOfBatch(row[1]));
  })();
  const rows = readRows(db);
  markOpen(db);
  const held =
    rows.pending.reduce((sum, run) => sum + run[1], 0) +
    rows.batches.reduce((sum, row) => sum + eventsOfBatch(row[1]), 0);
  const expected = salvaged.rows.expectedEvents;
  return {
    db,
    rows,
    damage: {
      movedTo,
      reason: cause instanceof Error ? cause.message : String(cause),
      salvaged: { events: held, batches: rows.batches.length, campaigns: rows.campaigns.length },
      lostEvents: expected === undefined ? undefined : Math.max(0, expected - held),
    },
  };
}

/**
 * Salvages from a copy of the damaged file (which stays as it was found). A file cut short is first made its
 * full length again with zeros, as its header says: SQLite refuses a short file whole, while a zeroed page fails
 * only the table it belongs to.
 */
function salvageCopy(damaged: string): { rows: SalvagedRows } {
  const copy = `${damaged}.salvage`;
  try {
    copyFileSync(damaged, copy);
    if (existsSync(`${damaged}-wal`)) copyFileSync(`${damaged}-wal`, `${copy}-wal`);
    const fullLength = lengthInHeader(copy);
    if (fullLength !== undefined && statSync(copy).size < fullLength) truncateSync(copy, fullLength);
    return salvage(copy);
  } catch {
    return salvage(damaged);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  }
}

/** The file's length by its header (page size × page count), if the header says it. */
function lengthInHeader(path: string): number | undefined {
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, header, 0, 100, 0) < 100) return undefined;
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return undefined;
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65_536 : raw;
  const pages = header.readUInt32BE(28);
  // The page count is valid only when the change counter matches the version-valid-for number.
  if (header.readUInt32BE(24) !== header.readUInt32BE(92)) return undefined;
  return pageSize * pages;
}

/** Row by row, whatever of each table can still be read (a table that fails midway keeps the rows before). */
/** What could be read of a damaged file, row by row. */
interface SalvagedRows extends Omit<StoredRows, 'pending' | 'nextEventId'> {
  /** [id, campaign id, recorded at, event JSON], in order. */
  readonly events: [number, string, number, string][];
}

function salvage(path: string): { rows: SalvagedRows } {
  const empty: SalvagedRows = {
    events: [],
    campaigns: [],
    batches: [],
    quietUntil: undefined,
    expectedEvents: undefined,
  };
  let db: Db;
  try {
    db = new Database(path, { timeout: 0 });
  } catch {
    return { rows: empty };
  }
  const read = <T>(sql: string, keep: (row: T) => boolean = () => true): T[] => {
    const rows: T[] = [];
    try {
      for (const row of db.prepare(sql).raw().iterate() as IterableIterator<T>) if (keep(row)) rows.push(row);
    } catch {}
    return rows;
  };
  try {
    const parses = (text: unknown) => {
      try {
        JSON.parse(String(text));
        return true;
      } catch {
        return false;
      }
    };
    const meta = new Map(read<[string, unknown]>(`SELECT key, value FROM meta`));
    const expected = meta.get(META.events);
    const quiet = meta.get(META.quietUntil);
    return {
      rows: {
        events: read<SalvagedRows['events'][number]>(
          `SELECT id, campaign_id, recorded_at, event FROM pending_events ORDER BY id`,
          (row) =>
            typeof row[0] === 'number' && typeof row[1] === 'string' && typeof row[2] === 'number' && parses(row[3]),
        ),
        campaigns: read<StoredRows['campaigns'][number]>(
          `SELECT campaign_id, last_seq, finished, status, status_seq, status_at FROM campaigns`,
          (row) =>
            typeof row[0] === 'string' &&
            typeof row[1] === 'number' &&
            typeof row[2] === 'number' &&
            (row[3] === null || parses(row[3])),
        ),
        batches: read<StoredRows['batches'][number]>(
          `SELECT batch_id, batch, attempt, invalid_answers, not_before, position FROM sealed_batches ORDER BY position, batch_id`,
          (row) =>
            typeof row[0] === 'string' && row.slice(2).every((value) => typeof value === 'number') && parses(row[1]),
        ),
        quietUntil: typeof quiet === 'number' ? quiet : undefined,
        expectedEvents: typeof expected === 'number' ? expected : undefined,
      },
    };
  } finally {
    db.close();
  }
}

export function eventsOfBatch(json: string): number {
  try {
    const batch = JSON.parse(json) as { campaigns?: { events?: unknown[] }[] };
    return (batch.campaigns ?? []).reduce((sum, update) => sum + (update.events?.length ?? 0), 0);
  } catch {
    return 0;
  }
}
