'use strict';
const { postEvents, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Posts what is buffered, then the counters.
async function syncProgress(serverUrl, campaign, buffer, counters) {
  if (buffer.length > 0) await postEvents(serverUrl, campaign.id, buffer.splice(0));
  await updateStatus(serverUrl, campaign.id, {
    state: counters.state,
    sent: counters.sent,
    failed: counters.failed,
    total: counters.total,
  });
}

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  const buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }
    if (buffer.length >= 20) await syncProgress(serverUrl, campaign, buffer, { state: 'running', sent, failed, total });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await syncProgress(serverUrl, campaign, buffer, { state: 'completed', sent, failed, total });
  return { sent, failed };
}

module.exports = { processCampaign };
