'use strict';
const { postEvents, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, { serverUrl, transporter, recipients }) {
  let buffer = [];
  let sent = 0;
  let failed = 0;
  recipientLoop: for (const recipient of recipients) {
    for (const address of recipient.addresses) {
      try {
        await transporter.sendMail({ to: address });
        sent++;
        buffer.push({ recipientId: recipient.id, email: address, outcome: 'sent', at: new Date().toISOString() });
        break;
      } catch (err) {
        if (err.responseCode < 500) continue;
      }
    }
    if (buffer.length >= 50) {
      await postEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await postEvents(serverUrl, campaign.id, buffer);
  await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total: recipients.length });
}

module.exports = { processCampaign };
