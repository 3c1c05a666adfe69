'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports.processCampaign = async function (campaign, deps) {
  const { transporter, serverUrl } = deps;
  let outcomes = [];
  let sent = 0;
  let failed = 0;
  const total = campaign.recipients.length;
  for (const recipient of campaign.recipients) {
    try {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      sent++;
      outcomes.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      outcomes.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }
    if (outcomes.length >= 50) {
      await sendOutcomes(serverUrl, campaign.id, outcomes);
      outcomes = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await sendOutcomes(serverUrl, campaign.id, outcomes);
  await reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
};
