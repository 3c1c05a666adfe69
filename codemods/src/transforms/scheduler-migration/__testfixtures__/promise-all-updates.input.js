'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  let buffer = [];
  let sent = 0;
  const total = campaign.recipients.length;
  for (const recipient of campaign.recipients) {
    await transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await Promise.all([
        sendOutcomes(serverUrl, campaign.id, buffer),
        reportStatus(serverUrl, campaign.id, { state: 'running', sent, failed: 0, total }),
      ]);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await Promise.all([
    sendOutcomes(serverUrl, campaign.id, buffer),
    reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total }),
  ]);
}

module.exports = { processCampaign };
