import { sendOutcomes, reportStatus } from './api.js';
import type { Outcome } from './types.js';

interface Recipient { id: string; email: string }
interface Deps { serverUrl: string; send(to: string): Promise<void>; load(id: string): Promise<Recipient[]> }

export const processCampaign = async (campaign: { id: string; emailsPerMinute: number }, deps: Deps): Promise<void> => {
  const outcomes: Outcome[] = [];
  let sent = 0;
  for (const recipient of await deps.load(campaign.id)) {
    await deps.send(recipient.email);
    sent++;
    outcomes.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (outcomes.length >= 50) {
      await sendOutcomes(deps.serverUrl, campaign.id, outcomes);
      outcomes.splice(0);
    }
  }
  await sendOutcomes(deps.serverUrl, campaign.id, outcomes);
  await reportStatus(deps.serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total: sent, seq: 1, updatedAt: new Date().toISOString() });
};
