'use strict';
const api = require('./api');
const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledUpdateStatus = updateThrottle.wrap((...args) => api.updateStatus?.(...args), { key: (...args) => args[1] });
const throttledPostEventsMerged = updateThrottle.wrap((...args) => api.postEvents?.(...args), {
  key: (...args) => args[1],
  merge: ([, , previous2], [next0, next1, next2]) => [next0, next1, [...previous2, ...next2]],
});
const throttledPostEvents = (...args) =>
  throttledPostEventsMerged(...(args.map((arg, i) => (i === 2 ? [...arg] : arg))));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  await throttledUpdateStatus?.(serverUrl, campaign.id, { state: 'running', sent, failed, total });
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      sent++;
    } catch (err) {
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
      failed++;
    }
    if (buffer.length >= 10) {
      await throttledPostEvents?.(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await throttledPostEvents?.(serverUrl, campaign.id, buffer);
  buffer = [];
  await updateThrottle.flush();
  await throttledUpdateStatus?.(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
}
module.exports = { processCampaign };
