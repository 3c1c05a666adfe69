'use strict';
const { postEvents, updateStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date() });
      sent++;
    } catch (err) {
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date(), error: err.message });
      failed++;
    }
    if (buffer.length >= 3) {
      await postEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await postEvents(serverUrl, campaign.id, buffer);
  await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
  return { sent, failed };
}
module.exports = { processCampaign };
