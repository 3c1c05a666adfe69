'use strict';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const base = deps.serverUrl;
  let events = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    // The dashboard can pause a campaign: ask the server before each email.
    const res = await fetch(`${base}/api/campaigns/${campaign.id}/status`);
    const { state } = await res.json();
    if (state === 'paused') await sleep(60000);
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    events.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 50) {
      await fetch(`${base}/api/campaigns/${campaign.id}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
      events = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await fetch(`${base}/api/campaigns/${campaign.id}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
  await fetch(`${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'completed', sent, failed: 0, total: campaign.recipients.length }) });
}

module.exports = { processCampaign };
