'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  let buffer = [];
  let sent = 0;
  const total = campaign.recipients.length;
  for (const recipient of campaign.recipients) {
    const at = new Date().toISOString();
    if (recipient.cc && recipient.cc.length) {
      await transporter.sendMail({ to: recipient.email, cc: recipient.cc });
      sent += 1 + recipient.cc.length;
      buffer.push(
        { recipientId: recipient.id, outcome: 'sent', at },
        ...recipient.cc.map((cc) => ({ recipientId: cc.id, outcome: 'sent', at })),
      );
    } else {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at });
    }
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
