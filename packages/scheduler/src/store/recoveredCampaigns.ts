import { isTerminal } from '../validate.js';
import type { RecoveredCampaign, SealedBatch } from './PendingStore.js';

/**
 * The campaigns a store's `recover()` reports: those it holds, and those known only from its sealed batches (a
 * status in a batch raises the last seq and says whether the campaign finished). For store implementations.
 *
 * @example
 * ```ts
 * recover() { return { batches, campaigns: recoveredCampaigns(this.ownCampaigns(), batches), quietUntil }; }
 * ```
 */
export function recoveredCampaigns(
  own: Iterable<RecoveredCampaign>,
  sealed: Iterable<SealedBatch>,
): RecoveredCampaign[] {
  const campaigns = new Map<string, RecoveredCampaign>();
  for (const campaign of own) campaigns.set(campaign.campaignId, campaign);
  for (const { batch } of sealed) {
    for (const { campaignId, status } of batch.campaigns) {
      const known = campaigns.get(campaignId);
      if (known !== undefined && (status === undefined || status.seq <= known.lastSeq)) continue;
      campaigns.set(campaignId, {
        campaignId,
        lastSeq: Math.max(status?.seq ?? 0, known?.lastSeq ?? 0),
        finished: status === undefined ? false : isTerminal(status.state),
      });
    }
  }
  return [...campaigns.values()];
}
