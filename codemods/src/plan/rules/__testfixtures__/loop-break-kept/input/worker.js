export async function processCampaign(campaign, { base, mailer, shouldStop }) {
  for (const r of campaign.recipients) {
    if (shouldStop()) break;
    await mailer.sendMail({ to: r.email });
    await fetch(`${base}/api/campaigns/${campaign.id}/events`, {
      method: 'POST',
      body: JSON.stringify({ events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() }] }),
    });
    await new Promise((done) => setTimeout(done, 60_000 / campaign.emailsPerMinute));
  }
  await fetch(`${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', body: JSON.stringify({ state: 'completed' }) });
}
