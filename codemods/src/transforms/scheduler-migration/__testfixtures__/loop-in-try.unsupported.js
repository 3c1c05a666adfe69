'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  let state = 'completed';
  const total = campaign.recipients.length;
  try {
    for (const recipient of campaign.recipients) {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      if (buffer.length >= 50) {
        await sendOutcomes(serverUrl, campaign.id, buffer);
        buffer = [];
      }
      await sleep(60000 / campaign.emailsPerMinute);
    }
  } catch (err) {
    state = 'failed';
    throw err;
  } finally {
    await sendOutcomes(serverUrl, campaign.id, buffer);
    await reportStatus(serverUrl, campaign.id, { state, sent, failed, total });
  }
}

module.exports = { processCampaign };
