import type { CampaignStatus, RecipientEvent } from '../types.js';
import { isTerminal } from '../validate.js';
import type {
  PendingQueue,
  PendingStore,
  PendingSummary,
  RecoveredCampaign,
  RecoveredState,
  SealedBatch,
  TakenUpdates,
} from './PendingStore.js';
import { recoveredCampaigns } from './recoveredCampaigns.js';

// The clock is read once per run of this many events: the time of a run's first event stands for all of it.
const RUN = 16;
const RUN_SHIFT = 4;

/** Events pending over all campaigns of one store, kept by each campaign's queue as it changes. */
interface Tally {
  size: number;
}

/** One campaign's pending updates: what the store keeps per campaign, and the queue the scheduler holds. */
class CampaignQueue implements PendingQueue {
  // `head` is the first event not yet taken, so taking is cheap; `runStartedAt[i]` is when event i × RUN came.
  events: RecipientEvent[] = [];
  runStartedAt: number[] = [];
  head = 0;
  status: CampaignStatus | undefined = undefined;
  statusAt: number | undefined = undefined;
  /** The newest status set (pending or not): its seq, and whether it is terminal. */
  lastSeq = 0;
  finished = false;
  readonly #tally: Tally;

  constructor(tally: Tally) {
    this.#tally = tally;
  }

  get pendingEvents(): number {
    return this.events.length - this.head;
  }

  append(event: RecipientEvent, now: () => number): number {
    const index = this.events.push(event) - 1;
    if ((index & (RUN - 1)) === 0) this.runStartedAt.push(now());
    this.#tally.size++;
    return index + 1 - this.head;
  }

  putStatus(status: CampaignStatus, recordedAt: number): void {
    // A replaced status keeps the older time: the update has been waiting since then.
    if (this.status === undefined) this.statusAt = recordedAt;
    this.status = status;
    this.lastSeq = status.seq;
    this.finished = isTerminal(status.state);
  }

  peek(): PendingSummary {
    return { pendingEvents: this.events.length - this.head, status: this.status, oldestAt: this.oldestAt() };
  }

  /** When the oldest pending update was recorded: its first untaken event's run, or its status. */
  oldestAt(): number | undefined {
    const eventAt = this.head < this.events.length ? this.runStartedAt[this.head >> RUN_SHIFT] : undefined;
    if (eventAt === undefined) return this.statusAt;
    return this.statusAt === undefined ? eventAt : Math.min(eventAt, this.statusAt);
  }

  take(maxEvents: number, withStatus: boolean): TakenUpdates {
    const end = Math.min(this.events.length, this.head + maxEvents);
    const events = this.events.slice(this.head, end);
    this.#tally.size -= events.length;
    this.head = end;
    if (this.head === this.events.length) {
      // New arrays rather than `length = 0`, which costs a call into the engine.
      this.events = [];
      this.runStartedAt = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.events.length) {
      // Drop whole runs only, so every event keeps its run's time.
      const runs = this.head >> RUN_SHIFT;
      this.events.splice(0, runs << RUN_SHIFT);
      this.runStartedAt.splice(0, runs);
      this.head -= runs << RUN_SHIFT;
    }
    const status = withStatus ? this.status : undefined;
    if (withStatus) {
      this.status = undefined;
      this.statusAt = undefined;
    }
    return { events, status };
  }
}

/**
 * The default {@link PendingStore}: per-campaign arrays in memory. It also keeps the sealed batches, so a store
 * handed to a new scheduler (after the first was dropped without `close()`) goes on where that one stopped; it
 * survives nothing beyond the process: see `@scope/sqlite-store` for that.
 *
 * @example
 * ```ts
 * const scheduler = new ServerUpdateScheduler({ transport, store: new MemoryStore() });
 * ```
 */
export class MemoryStore implements PendingStore {
  readonly #campaigns = new Map<string, CampaignQueue>();
  readonly #sealed = new Map<string, SealedBatch>();
  #quietUntil: number | undefined;
  readonly #tally: Tally = { size: 0 };
  // A worker records runs of events for one campaign: the last queue used saves the map lookup.
  #lastId: string | undefined;
  #lastQueue: CampaignQueue | undefined;

  /** Events pending over all campaigns. */
  get size(): number {
    return this.#tally.size;
  }

  /** Appends an event; reads the clock once per run of 16. Returns the campaign's pending count. */
  appendEvent(campaignId: string, event: RecipientEvent, now: () => number): number {
    return this.#queueOf(campaignId).append(event, now);
  }

  /** Sets the pending status, replacing an unsent one (it keeps the older time). */
  putStatus(campaignId: string, status: CampaignStatus, recordedAt: number): void {
    this.#queueOf(campaignId).putStatus(status, recordedAt);
  }

  seal(sealed: SealedBatch): void {
    this.#sealed.set(sealed.batch.batchId, sealed);
  }

  reschedule(batchId: string, attempt: number, invalidAnswers: number, notBefore: number): void {
    const sealed = this.#sealed.get(batchId);
    if (sealed !== undefined) this.#sealed.set(batchId, { ...sealed, attempt, invalidAnswers, notBefore });
  }

  replace(batchId: string, parts: readonly SealedBatch[]): void {
    if (!this.#sealed.has(batchId)) return;
    // Splits are rare: rebuilding keeps the parts where their parent was.
    const all = [...this.#sealed.values()].flatMap((sealed) => (sealed.batch.batchId === batchId ? parts : [sealed]));
    this.#sealed.clear();
    for (const sealed of all) this.#sealed.set(sealed.batch.batchId, sealed);
  }

  settle(batchId: string): void {
    this.#sealed.delete(batchId);
  }

  quiet(until: number): void {
    this.#quietUntil = Math.max(this.#quietUntil ?? until, until);
  }

  recover(): RecoveredState {
    const own = [...this.#campaigns].map(
      ([campaignId, queue]): RecoveredCampaign => ({ campaignId, lastSeq: queue.lastSeq, finished: queue.finished }),
    );
    const batches = [...this.#sealed.values()];
    return { batches, campaigns: recoveredCampaigns(own, batches), quietUntil: this.#quietUntil };
  }

  /** Events the campaign has pending. */
  pendingEvents(campaignId: string): number {
    return this.#campaigns.get(campaignId)?.pendingEvents ?? 0;
  }

  /** The campaign's pending status. */
  pendingStatus(campaignId: string): CampaignStatus | undefined {
    return this.#campaigns.get(campaignId)?.status;
  }

  /** What the campaign has pending, in one look-up. */
  peek(campaignId: string): PendingSummary {
    return this.#campaigns.get(campaignId)?.peek() ?? NOTHING;
  }

  /** When the oldest pending update was recorded (never later than the truth). */
  oldestPendingAt(campaignId: string): number | undefined {
    return this.#campaigns.get(campaignId)?.oldestAt();
  }

  /** Removes and returns up to `maxEvents` oldest events, and the status if asked. */
  take(campaignId: string, maxEvents: number, withStatus: boolean): TakenUpdates {
    return this.#campaigns.get(campaignId)?.take(maxEvents, withStatus) ?? { events: [], status: undefined };
  }

  /** The campaign's pending updates, to be held with the campaign: valid until it is forgotten. */
  queue(campaignId: string): PendingQueue {
    return this.#queueOf(campaignId);
  }

  /** Forgets a campaign and what it had pending. */
  forget(campaignId: string): void {
    this.#tally.size -= this.pendingEvents(campaignId);
    this.#campaigns.delete(campaignId);
    if (this.#lastId === campaignId) this.#lastId = this.#lastQueue = undefined;
  }

  #queueOf(campaignId: string): CampaignQueue {
    if (campaignId === this.#lastId) return this.#lastQueue as CampaignQueue;
    let queue = this.#campaigns.get(campaignId);
    if (queue === undefined) {
      queue = new CampaignQueue(this.#tally);
      this.#campaigns.set(campaignId, queue);
    }
    this.#lastId = campaignId;
    this.#lastQueue = queue;
    return queue;
  }
}

const NOTHING: PendingSummary = { pendingEvents: 0, status: undefined, oldestAt: undefined };
