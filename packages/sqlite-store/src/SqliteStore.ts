import {
  type CampaignStatus,
  type DeadLetter,
  type PendingStore,
  type PendingSummary,
  type RecipientEvent,
  type RecoveredCampaign,
  type RecoveredState,
  recoveredCampaigns,
  type SealedBatch,
  type TakenUpdates,
} from '@scope/scheduler';
import type { OutboxDatabase } from './database.js';
import { GroupCommit } from './GroupCommit.js';
import { type Db, openOutbox, type StoreDamage } from './open.js';
import { resolveOptions, type SqliteStoreOptions } from './options.js';
import { PendingQueues } from './PendingQueues.js';
import { META } from './schema.js';
import { type OutboxStatements, prepare } from './statements.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * A durable {@link PendingStore} for `ServerUpdateScheduler` on SQLite (WAL): every event recorded is written
 * within `commitIntervalMs` (group commit; `await store.durable()` to know), a batch is sealed in the file before
 * its first request, and a scheduler made on the same file after a crash sends the sealed batches again under
 * their ids and the pending updates as if just recorded. Reads never touch the file: the pending rows are also
 * held in memory.
 *
 * @example
 * ```ts
 * const store = new SqliteStore({ path: 'data/outbox.db' });
 * const scheduler = new ServerUpdateScheduler({ transport, store });
 * // ...
 * await scheduler.close();
 * store.close();
 * ```
 * @throws StoreLockedError when another process has the file open; TypeError or RangeError for a bad option.
 */
export class SqliteStore implements PendingStore {
  /** What was wrong with the file at open, if it was damaged (then moved aside, and a fresh one started). */
  readonly damage: StoreDamage | undefined;
  readonly #db: Db;
  readonly #sql: OutboxStatements;
  readonly #queues = new PendingQueues();
  readonly #sealed = new Map<string, SealedBatch>();
  readonly #commits: GroupCommit;
  // Taken for a batch and not sealed yet: deleted from the file when the batch is sealed.
  #takenIds: number[] = [];
  readonly #takenStatuses = new Map<string, number>();
  #nextId = 1;
  #nextPosition = 1;
  #quietUntil: number | undefined;
  #clockAt: number | undefined;
  #damagedRows = 0;
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    const o = resolveOptions(options);
    const opened = openOutbox(o.path, o.synchronous, o.integrityCheck);
    this.#db = opened.db;
    this.damage = opened.damage;
    this.#sql = prepare(this.#db);
    const { rows } = opened;
    for (const [campaignId, count, oldestAt] of rows.pending) this.#queues.addFromDisk(campaignId, count, oldestAt);
    this.#nextId = rows.nextEventId;
    for (const [campaignId, lastSeq, finished, status, , statusAt] of rows.campaigns) {
      const queue = this.#queues.queue(campaignId);
      queue.lastSeq = lastSeq;
      queue.finished = finished === 1;
      if (status !== null) {
        queue.status = JSON.parse(status) as CampaignStatus;
        queue.statusAt = statusAt ?? 0;
      }
    }
    for (const [batchId, batch, attempt, invalidAnswers, notBefore, position] of rows.batches) {
      this.#sealed.set(batchId, { batch: JSON.parse(batch), attempt, invalidAnswers, notBefore });
      this.#nextPosition = position + 1;
    }
    this.#quietUntil = rows.quietUntil;
    this.#commits = new GroupCommit({
      db: this.#db,
      intervalMs: o.commitIntervalMs,
      maxBuffered: o.maxBufferedEvents,
      onError: o.onError,
      // Every commit says how many events the file holds, so a damaged file can tell what it lost.
      beforeCommit: () => this.#sql.setMeta.run(META.events, this.#queues.size + this.#sealedEvents()),
      afterCommit: () => {
        this.#clockAt = undefined;
      },
    });
  }

  /** The database, for writes of your own in the store's transactions ({@link SqliteStore.transaction}). */
  get database(): OutboxDatabase {
    return this.#db as unknown as OutboxDatabase;
  }

  /** Events pending over all campaigns (not counting those in sealed batches). */
  get size(): number {
    return this.#queues.size;
  }

  /** Rows found unreadable while taking them (a damaged event body): dropped, and counted here. */
  get damagedRows(): number {
    return this.#damagedRows;
  }

  appendEvent(campaignId: string, event: RecipientEvent, now: () => number): number {
    this.#checkOpen();
    const id = this.#nextId++;
    const body = JSON.stringify(event);
    // One clock read per group commit: every event of it is dated by the first (never later than the truth).
    this.#clockAt ??= now();
    const recordedAt = this.#clockAt;
    const pending = this.#queues.append(campaignId, id, body, recordedAt);
    this.#commits.write(() => this.#sql.insertEvent.run(id, campaignId, recordedAt, body), 1);
    return pending;
  }

  putStatus(campaignId: string, status: CampaignStatus, recordedAt: number): void {
    this.#checkOpen();
    const queue = this.#queues.queue(campaignId);
    if (queue.status === undefined) queue.statusAt = recordedAt;
    queue.status = status;
    queue.lastSeq = status.seq;
    queue.finished = TERMINAL.has(status.state);
    const row = [campaignId, queue.lastSeq, queue.finished ? 1 : 0, JSON.stringify(status), status.seq, queue.statusAt];
    this.#commits.write(() => this.#sql.upsertCampaign.run(row), 0);
  }

  pendingEvents(campaignId: string): number {
    return this.#queues.peek(campaignId).pendingEvents;
  }

  pendingStatus(campaignId: string): CampaignStatus | undefined {
    return this.#queues.get(campaignId)?.status;
  }

  oldestPendingAt(campaignId: string): number | undefined {
    return this.#queues.peek(campaignId).oldestAt;
  }

  peek(campaignId: string): PendingSummary {
    return this.#queues.peek(campaignId);
  }

  /** Takes from memory; the rows stay in the file until the batch they go into is sealed. */
  take(campaignId: string, maxEvents: number, withStatus: boolean): TakenUpdates {
    const taken = this.#queues.take(campaignId, maxEvents, withStatus, this.#readDisk);
    const events: RecipientEvent[] = [];
    taken.ids.forEach((id, i) => {
      this.#takenIds.push(id);
      try {
        events.push(JSON.parse(taken.bodies[i] as string) as RecipientEvent);
      } catch {
        this.#damagedRows++;
      }
    });
    if (taken.status !== undefined) this.#takenStatuses.set(campaignId, taken.status.seq);
    return { events, status: taken.status };
  }

  forget(campaignId: string): void {
    this.#queues.forget(campaignId);
    this.#commits.write(() => this.#sql.deleteCampaign.run(campaignId), 0);
  }

  /** Seals a batch: what was taken for it leaves the pending rows and the batch is kept, in one durable commit. */
  seal(sealed: SealedBatch): void {
    this.#checkOpen();
    const ids = this.#takenIds;
    const statuses = [...this.#takenStatuses];
    const position = this.#nextPosition++;
    this.#commits.now(() => {
      for (const id of ids) this.#sql.deleteEvent.run(id);
      for (const [campaignId, seq] of statuses) this.#sql.clearStatus.run(campaignId, seq);
      this.#insertBatch(sealed, position);
    });
    this.#takenIds = [];
    this.#takenStatuses.clear();
    this.#sealed.set(sealed.batch.batchId, sealed);
  }

  reschedule(batchId: string, attempt: number, invalidAnswers: number, notBefore: number): void {
    const sealed = this.#sealed.get(batchId);
    if (sealed === undefined) return;
    this.#sealed.set(batchId, { ...sealed, attempt, invalidAnswers, notBefore });
    this.#commits.write(() => this.#sql.reschedule.run(attempt, invalidAnswers, notBefore, batchId), 0);
  }

  replace(batchId: string, parts: readonly SealedBatch[], letters?: readonly DeadLetter[]): void {
    if (!this.#sealed.has(batchId)) return;
    const position = this.#sql.positionOf.pluck().get(batchId) as number | undefined;
    this.#commits.now(() => {
      this.#sql.deleteBatch.run(batchId);
      for (const part of parts) this.#insertBatch(part, position ?? this.#nextPosition++);
      this.#insertLetters(letters);
    });
    const all = [...this.#sealed.values()].flatMap((sealed) => (sealed.batch.batchId === batchId ? parts : [sealed]));
    this.#sealed.clear();
    for (const sealed of all) this.#sealed.set(sealed.batch.batchId, sealed);
  }

  settle(batchId: string, letters?: readonly DeadLetter[]): void {
    if (!this.#sealed.delete(batchId)) return;
    this.#commits.write(() => {
      this.#sql.deleteBatch.run(batchId);
      this.#insertLetters(letters);
    }, 0);
  }

  quiet(until: number): void {
    this.#quietUntil = Math.max(this.#quietUntil ?? until, until);
    const value = this.#quietUntil;
    this.#commits.write(() => this.#sql.setMeta.run(META.quietUntil, value), 0);
  }

  recover(): RecoveredState {
    const own = [...this.#queues.entries()].map(
      ([campaignId, queue]): RecoveredCampaign => ({ campaignId, lastSeq: queue.lastSeq, finished: queue.finished }),
    );
    const batches = [...this.#sealed.values()];
    return { batches, campaigns: recoveredCampaigns(own, batches), quietUntil: this.#quietUntil };
  }

  /** The dead letters kept in the file, oldest first. */
  deadLetters(): DeadLetter[] {
    return (this.#sql.letters.pluck().all() as string[]).map((text) => JSON.parse(text) as DeadLetter);
  }

  /** Resolves once everything recorded so far is on disk (at the next group commit, at most `commitIntervalMs`). */
  durable(): Promise<void> {
    return this.#commits.durable();
  }

  /** Writes everything buffered now, in one transaction. */
  commit(): void {
    this.#commits.flush();
  }

  /**
   * Runs `write` in one transaction with everything buffered before it, and commits at once: writes of your own
   * (a journal) that must be on disk together with the events recorded before them.
   */
  transaction<T>(write: (db: OutboxDatabase) => T): T {
    this.#checkOpen();
    let result: T | undefined;
    this.#commits.now(() => {
      result = write(this.database);
    });
    return result as T;
  }

  /** Runs `write` in the next group commit, after what was recorded before it and before what comes after. */
  defer(write: (db: OutboxDatabase) => void): void {
    this.#checkOpen();
    this.#commits.write(() => write(this.database), 0);
  }

  /** Writes what is buffered and closes the file (what is pending stays in it, for the next start). */
  close(): void {
    if (this.#closed) return;
    this.#commits.flush();
    this.#commits.stop();
    this.#sql.setMeta.run(META.open, 0);
    this.#closed = true;
    this.#db.close();
  }

  readonly #readDisk = (campaignId: string, afterId: number, limit: number): [number, string][] =>
    this.#sql.pendingOf.raw().all(campaignId, afterId, limit) as [number, string][];

  #insertBatch(sealed: SealedBatch, position: number): void {
    const { batch, attempt, invalidAnswers, notBefore } = sealed;
    const events = batch.campaigns.reduce((sum, update) => sum + update.events.length, 0);
    this.#sql.insertBatch.run(
      position,
      batch.batchId,
      JSON.stringify(batch),
      events,
      attempt,
      invalidAnswers,
      notBefore,
    );
  }

  #insertLetters(letters: readonly DeadLetter[] | undefined): void {
    for (const letter of letters ?? []) {
      this.#sql.insertLetter.run(letter.batchId, letter.campaignId, letter.events.length, JSON.stringify(letter));
    }
  }

  #sealedEvents(): number {
    let count = 0;
    for (const { batch } of this.#sealed.values()) for (const update of batch.campaigns) count += update.events.length;
    return count;
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('SqliteStore: the store is closed');
  }
}
