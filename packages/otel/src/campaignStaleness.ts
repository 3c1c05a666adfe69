import type { Attributes, BatchObservableResult, Meter, ObservableGauge } from '@opentelemetry/api';
import type { CampaignStats } from '@scope/scheduler';

/** The per-campaign staleness gauge, and how to observe it from `campaignStats()`. */
export interface CampaignStalenessGauge {
  readonly gauge: ObservableGauge;
  observe(result: BatchObservableResult, campaigns: readonly CampaignStats[]): void;
}

/**
 * `scheduler.campaign.staleness` (seconds, by `campaign.id`). A campaign the scheduler has forgotten (finished and
 * settled) is observed once more at 0: the SDK goes on exporting the last value of every series it has seen, and a
 * finished campaign has nothing waiting.
 */
export function campaignStalenessGauge(meter: Meter, attributes: Attributes): CampaignStalenessGauge {
  const gauge = meter.createObservableGauge('scheduler.campaign.staleness', {
    description: "Age of a campaign's oldest update not yet acknowledged (0 when none waits)",
    unit: 's',
  });
  let reported = new Set<string>();
  return {
    gauge,
    observe(result, campaigns) {
      const seen = new Set<string>();
      for (const { campaignId, stalenessMs } of campaigns) {
        result.observe(gauge, (stalenessMs ?? 0) / 1000, { ...attributes, 'campaign.id': campaignId });
        seen.add(campaignId);
      }
      for (const campaignId of reported) {
        if (!seen.has(campaignId)) result.observe(gauge, 0, { ...attributes, 'campaign.id': campaignId });
      }
      reported = seen;
    },
  };
}
