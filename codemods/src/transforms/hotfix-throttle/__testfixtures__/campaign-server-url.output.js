'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledSendOutcomesMerged = updateThrottle.wrap(sendOutcomes, {
  key: (...args) => args[1],
  merge: ([, , previous2], [next0, next1, next2]) => [next0, next1, [...previous2, ...next2]],
});
const throttledSendOutcomes = (...args) =>
  throttledSendOutcomesMerged(...(args.map((arg, i) => (i === 2 ? [...arg] : arg))));
const throttledReportStatus = updateThrottle.wrap(reportStatus, { key: (...args) => args[1] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Each campaign carries the URL of the server that owns it (multi-tenant).
async function processCampaign(campaign, deps) {
  let buffer = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await throttledSendOutcomes(campaign.serverUrl, campaign.id, buffer);
      buffer = [];
    }
    if (sent % 100 === 0) throttledReportStatus(campaign.serverUrl, campaign.id, { state: 'running', sent, failed: 0, total: campaign.recipients.length });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await throttledSendOutcomes(campaign.serverUrl, campaign.id, buffer);
  await updateThrottle.flush();
  await throttledReportStatus(campaign.serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total: campaign.recipients.length });
}

module.exports = { processCampaign };
