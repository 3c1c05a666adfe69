'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, templates } = deps;
  const queue = [...campaign.recipients];
  const total = queue.length;
  let buffer = [];
  let sent = 0;
  while (queue.length > 0) {
    const recipient = queue.shift();
    const text = templates[recipient.locale] || templates.en;
    await transporter.sendMail({ to: recipient.email, text });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await sendOutcomes(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await sendOutcomes(serverUrl, campaign.id, buffer);
  await reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total });
}

module.exports = { processCampaign };
