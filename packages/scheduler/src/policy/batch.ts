import type { Batch, CampaignUpdate } from '../types.js';
import type { CampaignView } from './due.js';

/** How much of one campaign's waiting updates go into a request. */
export interface CampaignPart {
  readonly campaignId: string;
  readonly maxEvents: number;
  readonly withStatus: boolean;
}

/** What the scheduler says of the campaign's pending status. */
export interface StatusRules {
  /** Legacy shape: the status is owed right after the events batch that just went. */
  readonly owed: boolean;
  /** How many of its events must go before the status may (a terminal one never overtakes events). */
  readonly eventsFirst: number;
}

/**
 * What to take of one campaign chosen for a batch. Bulk: up to `maxBatchEvents` events and the newest status
 * together. Legacy: one kind per request, events first, then the status right after (`owed`), so a status is never
 * starved behind a stream of event batches.
 */
export function planPart(
  view: CampaignView,
  shape: 'bulk' | 'legacy',
  maxBatchEvents: number,
  status: StatusRules,
): CampaignPart {
  const { campaignId } = view;
  if (shape === 'bulk') {
    const events = Math.min(view.pendingEvents, maxBatchEvents);
    return { campaignId, maxEvents: maxBatchEvents, withStatus: view.hasStatus && events >= status.eventsFirst };
  }
  const statusFirst = view.hasStatus && (view.pendingEvents === 0 || status.owed) && status.eventsFirst <= 0;
  return statusFirst
    ? { campaignId, maxEvents: 0, withStatus: true }
    : { campaignId, maxEvents: maxBatchEvents, withStatus: false };
}

/**
 * The id of part `part` (1 or 2) of a split batch: derived from its parent's, so a split decided again (after a
 * restart, or by a retry) yields the same ids, and a server that saw the parent can tell the parts apart.
 */
export function childBatchId(parentId: string, part: 1 | 2): string {
  return `${parentId}.${part}`;
}

/**
 * Splits a batch the server refused as a whole (413, or a 4xx narrowed down) into two smaller ones whose ids
 * derive from its own ({@link childBatchId}): by campaigns when it holds several, else by events (the status goes
 * with the second half). Events keep their `eventId`, so a server that applied the parent (a batch of unknown
 * fate) applies none of them twice. Undefined when the batch holds a single update and cannot be split.
 */
export function splitBatch(batch: Batch): [Batch, Batch] | undefined {
  const { campaigns, workerId, batchId } = batch;
  const part = (n: 1 | 2, parts: readonly CampaignUpdate[]): Batch => ({
    batchId: childBatchId(batchId, n),
    workerId,
    campaigns: parts,
  });
  if (campaigns.length > 1) {
    const middle = Math.ceil(campaigns.length / 2);
    return [part(1, campaigns.slice(0, middle)), part(2, campaigns.slice(middle))];
  }
  const only = campaigns[0] as CampaignUpdate;
  const units = only.events.length + (only.status === undefined ? 0 : 1);
  if (units < 2) return undefined;
  const middle = only.status === undefined ? Math.ceil(only.events.length / 2) : Math.floor(units / 2);
  const epoch = only.ownerEpoch === undefined ? {} : { ownerEpoch: only.ownerEpoch };
  const first: CampaignUpdate = { campaignId: only.campaignId, events: only.events.slice(0, middle), ...epoch };
  const second: CampaignUpdate = {
    campaignId: only.campaignId,
    ...epoch,
    events: only.events.slice(middle),
    ...(only.status === undefined ? {} : { status: only.status }),
  };
  return [part(1, [first]), part(2, [second])];
}
