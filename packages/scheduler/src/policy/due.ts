/** What the policy needs to know of one campaign, at one moment. */
export interface CampaignView {
  readonly campaignId: string;
  /** Events waiting to be put into a batch. */
  readonly pendingEvents: number;
  /** Whether a status is waiting to be put into a batch. */
  readonly hasStatus: boolean;
  /** When the oldest waiting update was recorded; undefined when nothing waits. */
  readonly oldestAt: number | undefined;
  /** Due now whatever its age: a terminal status, a flush or close, or (legacy) a status owed after its events. */
  readonly urgent: boolean;
  /** Has a batch not yet acknowledged: nothing more of it may go until that one is. */
  readonly blocked: boolean;
  /** Its interval, already stretched by the server's health. */
  readonly intervalMs: number;
}

/**
 * When a campaign is due: now (−∞) when urgent or holding a full batch, when its oldest update has waited its
 * interval otherwise, never (+∞) with nothing waiting.
 */
export function dueAt(view: CampaignView, maxBatchEvents: number): number {
  if (view.oldestAt === undefined) return Number.POSITIVE_INFINITY;
  if (view.urgent || view.pendingEvents >= maxBatchEvents) return Number.NEGATIVE_INFINITY;
  return view.oldestAt + view.intervalMs;
}

/** The earliest time any campaign that may send is due (+∞ if none). */
export function nextDueAt(views: Iterable<CampaignView>, maxBatchEvents: number): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const view of views) {
    if (!view.blocked) earliest = Math.min(earliest, dueAt(view, maxBatchEvents));
  }
  return earliest;
}

export interface SelectOptions {
  readonly shape: 'bulk' | 'legacy';
  readonly maxBatchEvents: number;
  readonly maxBatchCampaigns: number;
  readonly rideAlongRatio: number;
}

/**
 * The campaigns that go into the next request at `now`: those due, most overdue first, then (bulk) those whose
 * oldest update has waited `rideAlongRatio` of their interval, so they ride along instead of costing a request
 * of their own soon after. A legacy transport takes one campaign a request. Empty when nothing is due.
 */
export function selectCampaigns(views: readonly CampaignView[], now: number, options: SelectOptions): CampaignView[] {
  const { maxBatchEvents, rideAlongRatio } = options;
  const open = views.filter((view) => !view.blocked && view.oldestAt !== undefined);
  const due = open.filter((view) => dueAt(view, maxBatchEvents) <= now);
  if (due.length === 0) return [];
  due.sort((a, b) => dueAt(a, maxBatchEvents) - dueAt(b, maxBatchEvents) || (a.oldestAt ?? 0) - (b.oldestAt ?? 0));
  const limit = options.shape === 'legacy' ? 1 : options.maxBatchCampaigns;
  if (due.length >= limit) return due.slice(0, limit);
  const riders = open
    .filter((view) => !due.includes(view) && (view.oldestAt as number) + view.intervalMs * rideAlongRatio <= now)
    .sort((a, b) => (a.oldestAt as number) - (b.oldestAt as number));
  return [...due, ...riders].slice(0, limit);
}
