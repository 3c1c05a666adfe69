import type { CampaignStatus, RecipientEvent } from '../types.js';
import { isTerminal } from '../validate.js';
import type {
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

interface CampaignEntry {
  // `head` is the first event not yet taken, so taking is cheap; `runStartedAt[i]` is when event i × RUN came.
  events: RecipientEvent[];
  runStartedAt: number[];
  head: number;
  status: CampaignStatus | undefined;
  statusAt: number | undefined;
  /** The newest status set (pending or not): its seq, and whether it is terminal. */
  lastSeq: number;
  finished: boolean;
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
  readonly #campaigns = new Map<string, CampaignEntry>();
  readonly #sealed = new Map<string, SealedBatch>();
  #quietUntil: number | undefined;
  #size = 0;
  // A worker records runs of events for one campaign: the last entry used saves the map lookup.
  #lastId: string | undefined;
  #lastEntry: CampaignEntry | undefined;

  /** Events pending over all campaigns. */
  get size(): number {
    return this.#size;
  }

  /** Appends an event; reads the clock once per run of 16. Returns the campaign's pending count. */
  appendEvent(campaignId: string, event: RecipientEvent, now: () => number): number {
    const entry = this.#entry(campaignId);
    const index = entry.events.push(event) - 1;
    if ((index & (RUN - 1)) === 0) entry.runStartedAt.push(now());
    this.#size++;
    return index + 1 - entry.head;
  }

  /** Sets the pending status, replacing an unsent one (it keeps the older time). */
  putStatus(campaignId: string, status: CampaignStatus, recordedAt: number): void {
    const entry = this.#entry(campaignId);
    // A replaced status keeps the older time: the update has been waiting since then.
    if (entry.status === undefined) entry.statusAt = recordedAt;
    entry.status = status;
    entry.lastSeq = status.seq;
    entry.finished = isTerminal(status.state);
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
      ([campaignId, entry]): RecoveredCampaign => ({ campaignId, lastSeq: entry.lastSeq, finished: entry.finished }),
    );
    const batches = [...this.#sealed.values()];
    return { batches, campaigns: recoveredCampaigns(own, batches), quietUntil: this.#quietUntil };
  }

  /** Events the campaign has pending. */
  pendingEvents(campaignId: string): number {
    const entry = this.#campaigns.get(campaignId);
    return entry === undefined ? 0 : entry.events.length - entry.head;
  }

  /** The campaign's pending status. */
  pendingStatus(campaignId: string): CampaignStatus | undefined {
    return this.#campaigns.get(campaignId)?.status;
  }

  /** What the campaign has pending, in one look-up. */
  peek(campaignId: string): PendingSummary {
    const entry = this.#campaigns.get(campaignId);
    if (entry === undefined) return NOTHING;
    return { pendingEvents: entry.events.length - entry.head, status: entry.status, oldestAt: oldestOf(entry) };
  }

  /** When the oldest pending update was recorded (never later than the truth). */
  oldestPendingAt(campaignId: string): number | undefined {
    const entry = this.#campaigns.get(campaignId);
    return entry === undefined ? undefined : oldestOf(entry);
  }

  /** Removes and returns up to `maxEvents` oldest events, and the status if asked. */
  take(campaignId: string, maxEvents: number, withStatus: boolean): TakenUpdates {
    const entry = this.#campaigns.get(campaignId);
    if (entry === undefined) return { events: [], status: undefined };
    const end = Math.min(entry.events.length, entry.head + maxEvents);
    const events = entry.events.slice(entry.head, end);
    this.#size -= events.length;
    entry.head = end;
    if (entry.head === entry.events.length) {
      entry.events.length = 0;
      entry.runStartedAt.length = 0;
      entry.head = 0;
    } else if (entry.head > 4096 && entry.head * 2 > entry.events.length) {
      // Drop whole runs only, so every event keeps its run's time.
      const runs = entry.head >> RUN_SHIFT;
      entry.events.splice(0, runs << RUN_SHIFT);
      entry.runStartedAt.splice(0, runs);
      entry.head -= runs << RUN_SHIFT;
    }
    const status = withStatus ? entry.status : undefined;
    if (withStatus) {
      entry.status = undefined;
      entry.statusAt = undefined;
    }
    return { events, status };
  }

  /** Forgets a campaign and what it had pending. */
  forget(campaignId: string): void {
    this.#size -= this.pendingEvents(campaignId);
    this.#campaigns.delete(campaignId);
    if (this.#lastId === campaignId) this.#lastId = this.#lastEntry = undefined;
  }

  #entry(campaignId: string): CampaignEntry {
    if (campaignId === this.#lastId) return this.#lastEntry as CampaignEntry;
    let entry = this.#campaigns.get(campaignId);
    if (entry === undefined) {
      entry = {
        events: [],
        runStartedAt: [],
        head: 0,
        status: undefined,
        statusAt: undefined,
        lastSeq: 0,
        finished: false,
      };
      this.#campaigns.set(campaignId, entry);
    }
    this.#lastId = campaignId;
    this.#lastEntry = entry;
    return entry;
  }
}

const NOTHING: PendingSummary = { pendingEvents: 0, status: undefined, oldestAt: undefined };

/** When an entry's oldest pending update was recorded: its first untaken event's run, or its status. */
function oldestOf(entry: CampaignEntry): number | undefined {
  const eventAt = entry.head < entry.events.length ? entry.runStartedAt[entry.head >> RUN_SHIFT] : undefined;
  if (eventAt === undefined) return entry.statusAt;
  return entry.statusAt === undefined ? eventAt : Math.min(eventAt, entry.statusAt);
}
