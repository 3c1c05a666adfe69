'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = campaign.recipients.length;

  async function flushBuffer() {
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    await sendOutcomes(serverUrl, campaign.id, events);
  }

  for (const recipient of campaign.recipients) {
    if (!recipient.unsubscribed) {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      if (sent % 50 === 0) await flushBuffer();
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await flushBuffer();
  await reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
}

module.exports = { processCampaign };
