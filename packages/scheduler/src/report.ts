import type { DeliveryCounters } from './delivery/Dispatcher.js';
import type { BreakerState } from './resilience/breaker.js';
import type { Batch, CampaignUpdate } from './types.js';

/** What `stats()` returns. */
export interface SchedulerStats extends DeliveryCounters {
  /** Events recorded and not yet in a batch (including those waiting under backpressure). */
  readonly pendingEvents: number;
  /** Of those, events waiting under backpressure to be let in. */
  readonly waitingEvents: number;
  /** Events in batches sent or to be retried, not yet acknowledged. */
  readonly unacknowledgedEvents: number;
  /** Batches sent or waiting for a retry, not yet acknowledged. */
  readonly unacknowledgedBatches: number;
  /**
   * How long the oldest update recorded and not yet acknowledged (pending, or in a batch not yet acknowledged) has
   * waited, on the scheduler's clock; undefined when nothing waits. Per campaign: `campaignStats()`.
   */
  readonly stalenessMs: number | undefined;
  /** Requests in flight now. */
  readonly inFlight: number;
  /** The circuit breaker's state now. */
  readonly breaker: BreakerState;
  /** How much the intervals and spacing are stretched for the server's health (1 = not at all). */
  readonly stretch: number;
  /** Smoothed latency of the server's answers, in milliseconds. */
  readonly latencyMs: number | undefined;
  /** Whether callers are waiting for room now. */
  readonly backpressure: boolean;
  /** Campaigns registered and not yet forgotten (a finished campaign is forgotten once all of it is settled). */
  readonly campaigns: number;
  /** Throws of your listeners, each reported once per listener (see the `error` event). */
  readonly listenerErrors: number;
}

/** What `close()` resolves with. JSON-serialisable. */
export interface CloseReport {
  /** Everything recorded was acknowledged or dead-lettered before the deadline. */
  readonly complete: boolean;
  /** Events acknowledged by the server over the scheduler's life. */
  readonly eventsDelivered: number;
  /** Events refused for good (see the `deadletter` event). */
  readonly deadLettered: number;
  /** Events neither acknowledged nor dead-lettered: in `unsent` and `unacknowledged`. */
  readonly eventsLeft: number;
  /** Statuses neither acknowledged nor dead-lettered. */
  readonly statusesLeft: number;
  /** Updates never sent. */
  readonly unsent: readonly CampaignUpdate[];
  /**
   * Batches sent without an answer, or waiting for a retry: the server may have applied them. Send them again
   * with the same `batchId` and a deduplicating server applies each once.
   */
  readonly unacknowledged: readonly Batch[];
  /** The counters at the end. */
  readonly stats: SchedulerStats;
}

/** The report `close()` resolves with, from what is left. */
export function buildCloseReport(
  complete: boolean,
  stats: SchedulerStats,
  unsent: readonly CampaignUpdate[],
  unacknowledged: readonly Batch[],
): CloseReport {
  let eventsLeft = 0;
  let statusesLeft = 0;
  for (const update of unsent.concat(unacknowledged.flatMap((batch) => batch.campaigns))) {
    eventsLeft += update.events.length;
    if (update.status !== undefined) statusesLeft++;
  }
  return {
    complete,
    eventsDelivered: stats.eventsDelivered,
    deadLettered: stats.deadLettered,
    eventsLeft,
    statusesLeft,
    unsent,
    unacknowledged,
    stats,
  };
}
