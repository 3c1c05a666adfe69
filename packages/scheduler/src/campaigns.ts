import type { CampaignView } from './policy/due.js';
import type { IntervalRule } from './policy/intervals.js';
import { intervalForRate, measuredRate } from './policy/intervals.js';
import type { PendingStore } from './store/PendingStore.js';

/** What the scheduler knows of one registered campaign, besides its pending updates (those are in the store). */
export interface CampaignRecord {
  readonly campaignId: string;
  emailsPerMinute: number | undefined;
  total: number | undefined;
  /** Updates recorded (events and statuses), taken into batches, and settled (acknowledged or dead-lettered). */
  recorded: number;
  taken: number;
  settled: number;
  /** How many recorded statuses the pending one stands for (it replaced those before it). */
  statusWeight: number;
  eventsRecorded: number;
  firstRecordedAt: number | undefined;
  lastSeq: number;
  /** The pending status is terminal: deliver promptly. */
  terminalPending: boolean;
  /** Updates up to this count are being flushed: the campaign is due until they are taken. */
  flushTarget: number;
  /** Legacy shape: the status goes right after the events batch that just went. */
  statusOwed: boolean;
}

export function newCampaignRecord(campaignId: string): CampaignRecord {
  return {
    campaignId,
    emailsPerMinute: undefined,
    total: undefined,
    recorded: 0,
    taken: 0,
    settled: 0,
    statusWeight: 0,
    eventsRecorded: 0,
    firstRecordedAt: undefined,
    lastSeq: 0,
    terminalPending: false,
    flushTarget: 0,
    statusOwed: false,
  };
}

/** The campaign's interval before stretching: from its registered rate, else from the rate it has shown. */
export function baseInterval(record: CampaignRecord, now: number, table: readonly IntervalRule[]): number {
  const rate = record.emailsPerMinute ?? measuredRate(record.eventsRecorded, record.firstRecordedAt, now);
  return intervalForRate(rate, table);
}

/** The policy's view of a campaign at `now`. */
export function viewOf(
  record: CampaignRecord,
  store: PendingStore,
  blocked: boolean,
  intervalMs: number,
): CampaignView {
  const { campaignId } = record;
  const hasStatus = store.pendingStatus(campaignId) !== undefined;
  return {
    campaignId,
    pendingEvents: store.pendingEvents(campaignId),
    hasStatus,
    oldestAt: store.oldestPendingAt(campaignId),
    urgent: record.taken < record.flushTarget || (hasStatus && (record.terminalPending || record.statusOwed)),
    blocked,
    intervalMs,
  };
}
