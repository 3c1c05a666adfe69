'use strict';
const { postEvents, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  const total = recipients.length;
  let sent = 0;
  let failed = 0;
  let buffer = [];
  process.on('SIGINT', () => process.exit(130));
  process.once('SIGHUP', async () => process.exit(129));
  process.on('SIGUSR2', () => {
    console.log('interrupted');
    process.exit(130);
  });
  process.on('SIGTERM', function () {
    if (deps.hard) process.exit(1);
  });
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
  await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
  return { sent, failed, total };
}

module.exports = { processCampaign };
