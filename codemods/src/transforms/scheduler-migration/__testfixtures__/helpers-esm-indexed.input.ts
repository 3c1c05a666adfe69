import { fetchRecipients, postOutcomes, putStatus } from './server-api';
import type { Campaign, Deps } from './types';

// Legacy TypeScript worker: posts outcomes every 50 and the status each minute.
export const processCampaign = async (campaign: Campaign, deps: Deps): Promise<void> => {
  const recipients = await fetchRecipients(campaign.id);
  let outcomes: Outcome[] = [];
  let sent = 0;
  for (let i = 0; i < recipients.length; i++) {
    const recipient = recipients[i];
    await deps.mailer.send(recipient);
    sent++;
    outcomes.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (outcomes.length >= 50) {
      await postOutcomes(campaign.id, outcomes);
      outcomes.length = 0;
    }
    if (sent % campaign.emailsPerMinute === 0) {
      await putStatus(campaign.id, { state: 'running', sent, total: recipients.length });
    }
  }
  await postOutcomes(campaign.id, outcomes);
  await putStatus(campaign.id, { state: 'completed', sent, total: recipients.length });
};
