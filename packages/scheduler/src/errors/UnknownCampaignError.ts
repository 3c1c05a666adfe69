/** Thrown when an update names a campaign that was never registered with `registerCampaign`. */
export class UnknownCampaignError extends Error {
  override readonly name = 'UnknownCampaignError';
  /** Marks the error across package copies, for {@link isUnknownCampaignError}. */
  readonly isUnknownCampaignError = true;

  /** @param campaignId the campaign that was never registered */
  constructor(readonly campaignId: string) {
    super(
      `Unknown campaign ${JSON.stringify(campaignId)}: call registerCampaign(${JSON.stringify(campaignId)}) first ` +
        '(a finished campaign is forgotten once its terminal status is acknowledged and `rememberFinishedCampaigns` others have finished since)',
    );
  }
}

/** Whether `error` is an {@link UnknownCampaignError}. */
export const isUnknownCampaignError = (error: unknown): error is UnknownCampaignError =>
  typeof error === 'object' && error !== null && (error as UnknownCampaignError).isUnknownCampaignError === true;
