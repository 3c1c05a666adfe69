'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  let buffer = [];
  const counters = { sent: 0, failed: 0, bounced: 0 };
  let seq = 0;
  const total = campaign.recipients.length;
  const snapshot = (state) => ({ state, ...counters, total, seq: seq++, updatedAt: new Date().toISOString() });
  await reportStatus(serverUrl, campaign.id, snapshot('running'));
  for (const recipient of campaign.recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      counters.sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      if (err.responseCode >= 500) counters.bounced++;
      else counters.failed++;
      buffer.push({ recipientId: recipient.id, outcome: err.responseCode >= 500 ? 'bounced' : 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) {
      await sendOutcomes(serverUrl, campaign.id, buffer);
      buffer = [];
      await reportStatus(serverUrl, campaign.id, { ...counters, state: 'running', total });
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await sendOutcomes(serverUrl, campaign.id, buffer);
  await reportStatus(serverUrl, campaign.id, snapshot('completed'));
}

module.exports = { processCampaign };
