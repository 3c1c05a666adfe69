'use strict';
const { postEvents, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;

  const flush = async () => {
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    await postEvents(serverUrl, campaign.id, events);
  };
  const onTerm = async () => {
    await flush();
    await updateStatus(serverUrl, campaign.id, { state: 'paused', sent, failed, total });
    process.exit(0);
  };
  process.once('SIGTERM', onTerm);

  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) await flush();
    await sleep(60000 / campaign.emailsPerMinute);
  }
  process.off('SIGTERM', onTerm);
  await flush();
  await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
}

module.exports = { processCampaign };
