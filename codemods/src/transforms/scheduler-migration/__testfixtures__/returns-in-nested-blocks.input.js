'use strict';
const { postEvents, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  const total = recipients.length;
  let sent = 0;
  let failed = 0;
  let buffer = [];
  const valid = recipients.filter((r) => {
    if (!r.email) return false;
    return true;
  });
  for (const recipient of valid) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) {
      await postEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await postEvents(serverUrl, campaign.id, buffer);
  buffer = [];
  switch (campaign.mode) {
    case 'dry':
      if (deps.verbose) {
        console.log('dry run');
        return { sent: 0, failed: 0, total };
      }
      break;
    default:
      try {
        if (failed > 0) return { sent, failed, total, partial: true };
      } catch (e) {
        return null;
      }
  }
  await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
  return { sent, failed, total };
}

module.exports = { processCampaign };
