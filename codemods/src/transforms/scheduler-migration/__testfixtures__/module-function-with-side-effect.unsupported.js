'use strict';
const { postEvents, updateStatus } = require('./api');
const store = require('./store');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Posts a batch, then remembers the last reported recipient so a restart resumes after it.
async function deliver(serverUrl, campaignId, batch) {
  await postEvents(serverUrl, campaignId, batch);
  await store.saveCheckpoint(campaignId, batch[batch.length - 1].recipientId);
}

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) {
      await deliver(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  if (buffer.length > 0) await deliver(serverUrl, campaign.id, buffer);
  await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total: recipients.length });
}

module.exports = { processCampaign };
