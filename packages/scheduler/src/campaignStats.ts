import type { CampaignRecord } from './campaigns.js';
import type { PendingSummary } from './store/PendingStore.js';
import type { CampaignState } from './types.js';

/** What `campaignStats()` tells of one campaign. Times are on the scheduler's clock (epoch milliseconds). */
export interface CampaignStats {
  readonly campaignId: string;
  /** The state of the newest status set (`running`, `completed`, …), or undefined before the first. */
  readonly state: CampaignState | undefined;
  /** Events recorded and not yet in a batch (those waiting under backpressure included). */
  readonly pendingEvents: number;
  /** Events in batches sent or to be retried, not yet acknowledged. */
  readonly unacknowledgedEvents: number;
  /**
   * How long its oldest update recorded and not yet acknowledged has waited (pending, or in a batch not yet
   * acknowledged); undefined when nothing waits. What the server does not know yet, and since when.
   */
  readonly stalenessMs: number | undefined;
  /** When the server last acknowledged an update of it, or undefined if it never has. */
  readonly lastAcknowledgedAt: number | undefined;
  /** Its events acknowledged by the server. */
  readonly eventsDelivered: number;
  /** Its events refused for good (see the `deadletter` event). */
  readonly deadLettered: number;
  /** Its reporting interval now: from its rate by the adaptive table, stretched by the server's health. */
  readonly intervalMs: number;
}

/** One campaign's stats, from what the scheduler keeps of it and what the store holds. */
export function campaignStatsOf(
  record: CampaignRecord,
  pending: PendingSummary,
  intervalMs: number,
  now: number,
): CampaignStats {
  // A batch not yet acknowledged holds older updates than anything still pending.
  const oldestAt = record.unacknowledgedSince ?? pending.oldestAt;
  return {
    campaignId: record.campaignId,
    state: record.state,
    pendingEvents: record.eventsRecorded - record.eventsTaken,
    unacknowledgedEvents: record.eventsTaken - record.eventsSettled,
    stalenessMs: oldestAt === undefined ? undefined : Math.max(0, now - oldestAt),
    lastAcknowledgedAt: record.lastAcknowledgedAt,
    eventsDelivered: record.eventsDelivered,
    deadLettered: record.eventsDeadLettered,
    intervalMs,
  };
}
