const { postEvents, updateStatus } = require('./api');

const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledPostEventsMerged = updateThrottle.wrap(postEvents, {
  key: (...args) => args[1],
  merge: ([, , previous2], [next0, next1, next2, next3]) => [next0, next1, [...previous2, ...next2], next3],
});
const throttledPostEvents = (...args) =>
  throttledPostEventsMerged(...(args.map((arg, i) => (i === 2 ? [...arg] : arg))));
const throttledUpdateStatus = updateThrottle.wrap(updateStatus, { key: (...args) => args[1] });

async function processCampaign(campaign, deps) {
  const items = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    items.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (items.length >= 50) {
      await throttledPostEvents(deps.serverUrl, campaign.id, items, { attempts: 3 });
      items.length = 0;
    }
  }
  await throttledPostEvents(deps.serverUrl, campaign.id, items, { attempts: 3 });
  await updateThrottle.flush();
  await throttledUpdateStatus(deps.serverUrl, campaign.id, { state: 'completed', sent, failed: 0, total: sent });
}

module.exports = { processCampaign };
