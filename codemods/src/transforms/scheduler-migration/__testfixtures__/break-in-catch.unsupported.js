'use strict';
const { postEvents, updateStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients, quota } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      sent++;
    } catch (err) {
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
      failed++;
      if (err.responseCode === 421) {
        break; // provider is throttling us: stop here, resume later
      }
    } finally {
      quota.consume(1);
    }
    if (buffer.length >= 10) {
      await postEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await postEvents(serverUrl, campaign.id, buffer);
  await updateStatus(serverUrl, campaign.id, { state: sent + failed < total ? 'paused' : 'completed', sent, failed, total });
}
module.exports = { processCampaign };
