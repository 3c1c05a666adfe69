'use strict';
const { postEvents, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  const total = recipients.length;
  let sent = 0;
  let failed = 0;
  let buffer = [];
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
      await postEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await postEvents(serverUrl, campaign.id, buffer);
  buffer = [];
  if (failed === total) {
    await updateStatus(serverUrl, campaign.id, { state: 'failed', sent, failed, total });
    console.error('failed');
  } else {
    await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
    console.log('done');
  }
  await deps.db.close();
  return { sent, failed, total };
}

module.exports = { processCampaign };
