'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let buffer = [];

async function flush(serverUrl, campaignId) {
  if (buffer.length === 0) return;
  const batch = buffer;
  buffer = [];
  await sendOutcomes(serverUrl, campaignId, batch);
}

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) await flush(serverUrl, campaign.id);
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await flush(serverUrl, campaign.id);
  await reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total: campaign.recipients.length });
}

module.exports = { processCampaign };
