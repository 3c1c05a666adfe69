'use strict';
const { postEvents, updateStatus } = require('./api');

const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledPostEventsMerged = updateThrottle.wrap(postEvents, {
  key: (...args) => args[1],
  merge: ([, , previous2], [next0, next1, next2]) => [next0, next1, [...previous2, ...next2]],
});
const throttledPostEvents = (...args) =>
  throttledPostEventsMerged(...(args.map((arg, i) => (i === 2 ? [...arg] : arg))));
const throttledUpdateStatus = updateThrottle.wrap(updateStatus, { key: (...args) => args[1] });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  const total = recipients.length;
  if (total === 0) {
    await updateThrottle.flush();
    await throttledUpdateStatus(serverUrl, campaign.id, { state: 'completed', sent: 0, failed: 0, total });
    return { sent: 0, failed: 0 };
  }
  let buffer = [];
  let sent = 0;
  let failed = 0;
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }
    if (buffer.length >= 50) {
      await throttledPostEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await throttledPostEvents(serverUrl, campaign.id, buffer);
  if (failed === total) {
    await updateThrottle.flush();
    await throttledUpdateStatus(serverUrl, campaign.id, { state: 'failed', sent, failed, total });
    return { sent, failed };
  }
  await updateThrottle.flush();
  await throttledUpdateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
  return { sent, failed };
}

module.exports = { processCampaign };
