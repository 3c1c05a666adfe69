import type { Unacknowledged } from './delivery/UnacknowledgedBatches.js';
import type { CampaignView } from './policy/due.js';
import type { IntervalRule } from './policy/intervals.js';
import { intervalForRate, measuredRate } from './policy/intervals.js';
import type { PendingQueue, PendingSummary } from './store/PendingStore.js';
import type { CampaignState } from './types.js';

/**
 * What the scheduler knows of one registered campaign, besides its pending updates (those are in the store).
 * Events are counted (they are sent and settled in order); statuses are tracked by `seq` (only the newest goes).
 */
export interface CampaignRecord {
  readonly campaignId: string;
  emailsPerMinute: number | undefined;
  total: number | undefined;
  /** Sent with each of its updates, when a fleet gave one. */
  ownerEpoch: number | undefined;
  /** Events recorded, taken into batches, and settled (acknowledged or dead-lettered), in that order. */
  eventsRecorded: number;
  eventsTaken: number;
  eventsSettled: number;
  firstRecordedAt: number | undefined;
  /** Of the settled events, those acknowledged and those dead-lettered; when the server last acknowledged one. */
  eventsDelivered: number;
  eventsDeadLettered: number;
  lastAcknowledgedAt: number | undefined;
  /**
   * When the oldest update in its batches not yet acknowledged was recorded (undefined while it has none): its
   * staleness, which the store no longer knows once the updates are taken.
   */
  unacknowledgedSince: number | undefined;
  /** The state of the newest status set. */
  state: CampaignState | undefined;
  /** The newest status set, and the newest settled. */
  lastSeq: number;
  settledSeq: number;
  /** How many events were recorded before the pending status: a terminal status goes only after them. */
  statusAfterEvents: number;
  /** The pending status is terminal: deliver promptly, after the events before it. */
  terminalPending: boolean;
  /** What a flush waits for: events up to this count, statuses up to this seq. Due until taken. */
  flushEvents: number;
  flushSeq: number;
  /** Legacy shape: the status goes right after the events batch that just went. */
  statusOwed: boolean;
  /** The newest status set is terminal: once everything is settled, the campaign is forgotten. */
  finished: boolean;
  /** `unregisterCampaign` was called: no more updates; forgotten once everything is settled. */
  unregistered: boolean;
  /** Taken up from a durable store and not registered again yet: whether its last status was terminal. */
  restored: { readonly finished: boolean } | undefined;
  /** Its batches not yet acknowledged, oldest first (see {@link UnacknowledgedBatches}): while any, it is blocked. */
  readonly batches: Unacknowledged[];
  /** Its pending updates in the store, held here when the store offers that (no look-up among all campaigns). */
  queue: PendingQueue | undefined;
  /** The `flush()` calls waiting on this campaign, each with the events count and seq it waits to see settled. */
  waiters: FlushTarget[];
}

/** One campaign's part of a pending `flush()`. */
export interface FlushTarget {
  readonly waiter: FlushWaiter;
  readonly events: number;
  readonly seq: number;
}

/** A pending `flush()`: how many of its campaigns are not yet settled, and how to resolve it. */
export interface FlushWaiter {
  remaining: number;
  readonly resolve: () => void;
}

export function newCampaignRecord(campaignId: string): CampaignRecord {
  return {
    campaignId,
    emailsPerMinute: undefined,
    total: undefined,
    ownerEpoch: undefined,
    eventsRecorded: 0,
    eventsTaken: 0,
    eventsSettled: 0,
    firstRecordedAt: undefined,
    eventsDelivered: 0,
    eventsDeadLettered: 0,
    lastAcknowledgedAt: undefined,
    unacknowledgedSince: undefined,
    state: undefined,
    lastSeq: 0,
    settledSeq: 0,
    statusAfterEvents: 0,
    terminalPending: false,
    flushEvents: 0,
    flushSeq: 0,
    statusOwed: false,
    finished: false,
    unregistered: false,
    restored: undefined,
    batches: [],
    queue: undefined,
    waiters: [],
  };
}

/** Whether everything recorded for the campaign has been acknowledged or dead-lettered. */
export function isSettled(record: CampaignRecord): boolean {
  return record.eventsSettled === record.eventsRecorded && record.settledSeq === record.lastSeq;
}

/** Whether the campaign has a batch not yet acknowledged: then nothing more of it may go before that one settles. */
export function isBlocked(record: CampaignRecord): boolean {
  return record.batches.length > 0;
}

/**
 * How many more events must be taken before the pending status may go: a terminal status never overtakes the
 * events recorded before it (0 for any other status).
 */
export function eventsBeforeStatus(record: CampaignRecord): number {
  return record.terminalPending ? record.statusAfterEvents - record.eventsTaken : 0;
}

/** The campaign's interval before stretching: from its registered rate, else from the rate it has shown. */
export function baseInterval(record: CampaignRecord, now: number, table: readonly IntervalRule[]): number {
  const rate = record.emailsPerMinute ?? measuredRate(record.eventsRecorded, record.firstRecordedAt, now);
  return intervalForRate(rate, table);
}

/**
 * The policy's view of a campaign, from what it has pending (`summary`). `pressed` says the scheduler is full and callers wait for room: then every
 * campaign with pending events is due, so that room is made at the next request slot.
 */
export function viewOf(
  record: CampaignRecord,
  summary: PendingSummary,
  blocked: boolean,
  intervalMs: number,
  pressed: boolean,
): CampaignView {
  const { campaignId } = record;
  const { pendingEvents, status: pending, oldestAt } = summary;
  // A terminal status waiting for events not yet let in (backpressure) has nothing to send yet.
  const status = pending !== undefined && pendingEvents >= eventsBeforeStatus(record) ? pending : undefined;
  const flushing = record.eventsTaken < record.flushEvents || (status !== undefined && status.seq <= record.flushSeq);
  return {
    campaignId,
    pendingEvents,
    hasStatus: status !== undefined,
    oldestAt: pendingEvents === 0 && status === undefined ? undefined : oldestAt,
    urgent:
      flushing ||
      (pressed && pendingEvents > 0) ||
      (status !== undefined && (record.terminalPending || record.statusOwed)),
    blocked,
    intervalMs,
  };
}
