'use strict';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  let buffer = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await fetch(new URL(`/api/campaigns/${campaign.id}/events`, deps.serverUrl), { method: 'POST', body: JSON.stringify({ events: buffer }) });
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await fetch(new URL(`/api/campaigns/${campaign.id}/events`, deps.serverUrl), { method: 'POST', body: JSON.stringify({ events: buffer }) });
  await fetch(new URL(`/api/campaigns/${campaign.id}/status`, deps.serverUrl), { method: 'PUT', body: JSON.stringify({ state: 'completed', sent, failed: 0, total: campaign.recipients.length }) });
}

module.exports = { processCampaign };
