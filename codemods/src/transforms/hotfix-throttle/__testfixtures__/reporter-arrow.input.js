'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  const total = campaign.recipients.length;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const report = (state) => reportStatus(serverUrl, campaign.id, { state, sent, failed, total });

  await report('running');
  for (const recipient of campaign.recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) {
      await sendOutcomes(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    if ((sent + failed) % 100 === 0) await report('running');
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await sendOutcomes(serverUrl, campaign.id, buffer);
  await report('completed');
  return { sent, failed };
}

module.exports = { processCampaign };
