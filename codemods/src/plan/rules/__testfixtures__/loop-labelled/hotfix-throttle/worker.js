import { serverUpdates } from './server-updates.js';

export async function processCampaign(campaign, { base, mailer, isSuppressed }) {
  recipients: for (const r of campaign.recipients) {
    if (isSuppressed(r.email)) continue recipients;
    await mailer.sendMail({ to: r.email });
    await serverUpdates.fetch(fetch, `${base}/api/campaigns/${campaign.id}/events`, {
      method: 'POST',
      body: JSON.stringify({ events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] }),
    });
    await new Promise((done) => setTimeout(done, 60_000 / campaign.emailsPerMinute));
  }
  await serverUpdates.fetch(fetch, `${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state: 'completed' }) });
}
