import type { CampaignStatus, RecipientEvent } from '../types.js';

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
  /** Events pending over all campaigns. */
  readonly size: number;
}
