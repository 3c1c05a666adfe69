'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  let buffer = [], sent = 0, failed = 0;
  for (const recipient of campaign.recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) {
      await sendOutcomes(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await sendOutcomes(serverUrl, campaign.id, buffer);
  await reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total: campaign.recipients.length });
}

module.exports = { processCampaign };
