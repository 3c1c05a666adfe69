'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  const hourlyCap = campaign.rateLimitPerHour;
  const delay = 60000 / campaign.emailsPerMinute;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = campaign.recipients.length;
  const statusTimer = setInterval(() => {
    reportStatus(serverUrl, campaign.id, { state: 'running', sent, failed, total });
  }, 60000);
  for (const recipient of campaign.recipients) {
    if (sent >= hourlyCap) await sleep(3600000);
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
    await sleep(delay);
  }
  clearInterval(statusTimer);
  await sendOutcomes(serverUrl, campaign.id, buffer);
  await reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
}

module.exports = { processCampaign };
