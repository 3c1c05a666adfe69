import type { DeadLetter } from '../events.js';
import type { Batch, CampaignStatus, RecipientEvent } from '../types.js';

/** Updates taken out of the store for one campaign's part of a batch. */
export interface TakenUpdates {
  /** The oldest pending events, in order. */
  readonly events: RecipientEvent[];
  /** The pending status, when it was asked for. */
  readonly status: CampaignStatus | undefined;
}

/** What a campaign has pending, read at once. */
export interface PendingSummary {
  /** How many events it has pending. */
  readonly pendingEvents: number;
  /** Its pending status, if any. */
  readonly status: CampaignStatus | undefined;
  /** When its oldest pending update was recorded (as {@link PendingStore.oldestPendingAt}), or undefined. */
  readonly oldestAt: number | undefined;
}

/**
 * One campaign's pending updates, held by the scheduler with the campaign (see {@link PendingStore.queue}): it
 * answers as the store's `peek` and `take` would for that campaign.
 */
export interface PendingQueue {
  /** What the campaign has pending, as {@link PendingStore.peek}. */
  peek(): PendingSummary;
  /** Removes and returns up to `maxEvents` of the oldest events, and the status if `withStatus`. */
  take(maxEvents: number, withStatus: boolean): TakenUpdates;
}

/** A batch as a store keeps it from its sealing (before its first request) until it is settled. */
export interface SealedBatch {
  /** The batch, as it goes on the wire: re-sent as it is, under its id. */
  readonly batch: Batch;
  /** Requests made with it so far. */
  readonly attempt: number;
  /** Of those, answers that looked like success but acknowledged nothing. */
  readonly invalidAnswers: number;
  /** The earliest it may be sent (again), on the scheduler's clock (epoch milliseconds). */
  readonly notBefore: number;
}

/** What a campaign left in a store when its scheduler stopped. */
export interface RecoveredCampaign {
  readonly campaignId: string;
  /** The newest `seq` it set: its statuses go on rising from there. */
  readonly lastSeq: number;
  /** Whether the newest status it set is terminal (completed, failed, cancelled). */
  readonly finished: boolean;
}

/** What a store holds for a scheduler that starts on it: what the one before left. */
export interface RecoveredState {
  /** Batches sealed and not settled, in the order they were sealed: each is sent again as it was. */
  readonly batches: readonly SealedBatch[];
  /** Every campaign with pending updates, a sealed batch, or a seq to go on from. */
  readonly campaigns: readonly RecoveredCampaign[];
  /** Until when the server asked for quiet (a Retry-After), if that is still ahead. */
  readonly quietUntil: number | undefined;
}

/**
 * Where a scheduler keeps the updates it has not yet put into a batch, per campaign. The scheduler decides
 * what to send and when; a store only keeps the data in order. In memory by default
 * ({@link MemoryStore}); a durable store implements the same methods.
 */
export interface PendingStore {
  /**
   * Appends an event after the campaign's other pending events and returns how many it now has pending.
   * Called once per `record()`: keep it O(1). `now` reads the clock; call it only when a time must be kept
   * (reading the clock costs more than the rest of `record()`), e.g. once per run of events.
   */
  appendEvent(campaignId: string, event: RecipientEvent, now: () => number): number;
  /** Sets the campaign's pending status, replacing one not yet sent (only the newest is sent). */
  putStatus(campaignId: string, status: CampaignStatus, recordedAt: number): void;
  /** How many events the campaign has pending. */
  pendingEvents(campaignId: string): number;
  /** The campaign's pending status, if any. */
  pendingStatus(campaignId: string): CampaignStatus | undefined;
  /**
   * When the campaign's oldest pending update (event or status) was recorded, or undefined if none is. It may be
   * a little earlier than the truth (never later), so a campaign is never sent later than it is due.
   */
  oldestPendingAt(campaignId: string): number | undefined;
  /**
   * What the campaign has pending, as `pendingEvents`, `pendingStatus` and `oldestPendingAt` would say, in one
   * look-up: the scheduler reads it for every campaign it weighs for a batch.
   */
  peek(campaignId: string): PendingSummary;
  /** Removes and returns up to `maxEvents` of the oldest events, and the status if `withStatus`. */
  take(campaignId: string, maxEvents: number, withStatus: boolean): TakenUpdates;
  /** Forgets a campaign that has nothing pending. */
  forget(campaignId: string): void;
  /**
   * Optional: the campaign's pending updates as one object, which the scheduler keeps with the campaign so that
   * putting a batch together does not look each campaign up among all of them (with 100,000 campaigns those
   * look-ups were most of its cost). It stays valid until the campaign is forgotten. Without it the scheduler
   * goes through `peek` and `take`.
   */
  queue?(campaignId: string): PendingQueue;
  /** Events pending over all campaigns. */
  readonly size: number;

  // A durable store implements the rest: the scheduler tells it each step of a batch's life, and reads back
  // what the one before it left. Without them a store holds what is pending only while the process lives.

  /**
   * Keeps a batch just made from what was taken (`take`), before its first request: after a restart it is sent
   * again as it was, under its id. What was taken for it must be gone from the pending updates at the same
   * moment (one transaction), and `seal` must not return before both are durable.
   */
  seal?(sealed: SealedBatch): void;
  /** A request of a sealed batch failed: it is tried again, not before `notBefore`. */
  reschedule?(batchId: string, attempt: number, invalidAnswers: number, notBefore: number): void;
  /**
   * A sealed batch is replaced by its parts (a split), or by what is left once the updates that cannot be encoded
   * are refused (`letters`, to be kept).
   */
  replace?(batchId: string, parts: readonly SealedBatch[], letters?: readonly DeadLetter[]): void;
  /** A sealed batch was acknowledged, or refused for good (`letters`, to be kept): it is gone. */
  settle?(batchId: string, letters?: readonly DeadLetter[]): void;
  /** The server asked for quiet until `until` (Retry-After). */
  quiet?(until: number): void;
  /** What the scheduler before left: read once, when a scheduler is made on the store. */
  recover?(): RecoveredState;
}
