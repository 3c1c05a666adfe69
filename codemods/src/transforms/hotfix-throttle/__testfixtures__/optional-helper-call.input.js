'use strict';
const api = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  await api.updateStatus?.(serverUrl, campaign.id, { state: 'running', sent, failed, total });
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      sent++;
    } catch (err) {
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
      failed++;
    }
    if (buffer.length >= 10) {
      await api.postEvents?.(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await api.postEvents?.(serverUrl, campaign.id, buffer);
  buffer = [];
  await api.updateStatus?.(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
}
module.exports = { processCampaign };
