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

module.exports.processCampaign = async function (campaign, deps) {
  let buffer = [];
  let sent = 0;
  const flushTimer = setInterval(() => {
    if (buffer.length === 0) return;
    throttledSendOutcomes(deps.serverUrl, campaign.id, buffer);
    buffer = [];
  }, 10000);
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  clearInterval(flushTimer);
  throttledSendOutcomes(deps.serverUrl, campaign.id, buffer);
  await updateThrottle.flush();
  return throttledReportStatus(deps.serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total: campaign.recipients.length });
};
