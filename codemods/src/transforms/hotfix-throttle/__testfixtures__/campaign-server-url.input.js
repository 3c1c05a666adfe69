'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Each campaign carries the URL of the server that owns it (multi-tenant).
async function processCampaign(campaign, deps) {
  let buffer = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await sendOutcomes(campaign.serverUrl, campaign.id, buffer);
      buffer = [];
    }
    if (sent % 100 === 0) reportStatus(campaign.serverUrl, campaign.id, { state: 'running', sent, failed: 0, total: campaign.recipients.length });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await sendOutcomes(campaign.serverUrl, campaign.id, buffer);
  await reportStatus(campaign.serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total: campaign.recipients.length });
}

module.exports = { processCampaign };
