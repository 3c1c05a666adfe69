'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  let buffer = [];
  let sent = 0;
  const flushTimer = setInterval(() => {
    if (buffer.length === 0) return;
    sendOutcomes(deps.serverUrl, campaign.id, buffer);
    buffer = [];
  }, 10000);
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  clearInterval(flushTimer);
  sendOutcomes(deps.serverUrl, campaign.id, buffer);
  const ok = await reportStatus(deps.serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total: campaign.recipients.length });
  if (!ok) deps.logger.error('final status not delivered');
}

module.exports = { processCampaign };
