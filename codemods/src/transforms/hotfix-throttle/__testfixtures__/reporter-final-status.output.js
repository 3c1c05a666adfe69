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
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;

  function report(state) {
    return throttledUpdateStatus(serverUrl, campaign.id, { state, sent, failed, total });
  }

  const timer = setInterval(() => report('running'), 60000);
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) {
      await throttledPostEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  clearInterval(timer);
  await throttledPostEvents(serverUrl, campaign.id, buffer);
  buffer = [];
  await updateThrottle.flush();
  await report('completed');
  return { sent, failed };
}

module.exports = { processCampaign };
