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

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  const total = campaign.recipients.length;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const report = (state) => throttledReportStatus(serverUrl, campaign.id, { state, sent, failed, total });

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
      await throttledSendOutcomes(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    if ((sent + failed) % 100 === 0) await report('running');
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await throttledSendOutcomes(serverUrl, campaign.id, buffer);
  await updateThrottle.flush();
  await report('completed');
  return { sent, failed };
}

module.exports = { processCampaign };
