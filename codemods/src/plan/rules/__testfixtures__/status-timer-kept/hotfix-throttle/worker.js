import { serverUpdates } from './server-updates.js';

export async function processCampaign(campaign, mailer, base) {
  let sent = 0;
  const putStatus = (state) =>
    serverUpdates.fetch(fetch, `${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state, sent }) });
  // The dashboard polls every 30 s anyway.
  const ticker = setInterval(() => putStatus('running'), 30_000);
  for (const r of campaign.recipients) {
    await mailer.sendMail({ to: r.email });
    sent++;
    await serverUpdates.fetch(fetch, `${base}/api/campaigns/${campaign.id}/events`, {
      method: 'POST',
      body: JSON.stringify({ events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] }),
    });
  }
  clearInterval(ticker);
  await putStatus('completed');
}
