'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const { archive } = require('./archive');

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  const log = [];
  for (const recipient of campaign.recipients) {
    await transporter.sendMail({ to: recipient.email });
    log.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  }
  await sendOutcomes(serverUrl, campaign.id, log);
  await reportStatus(serverUrl, campaign.id, { state: 'completed', sent: log.length, failed: 0, total: log.length });
  await archive(campaign.id, log);
  return log;
}

module.exports = { processCampaign };
