// Updates posted straight with fetch, the buffer cleared by reassignment.
const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledFetchEventsMerged = updateThrottle.wrap((url, events, init) => fetch(url, { ...init, body: JSON.stringify({ events }) }), {
  key: (url) => String(url),
  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],
});
const throttledFetchEvents = (url, events, options) => throttledFetchEventsMerged(url, [...events], options);
const throttledFetchStatus = updateThrottle.wrap((url, init) => fetch(url, init), { key: (url) => String(url) });
const BATCH = 50;

async function processCampaign(campaign, deps) {
  let events = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    events.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= BATCH) {
      await throttledFetchEvents(
        `${deps.serverUrl}/api/campaigns/${campaign.id}/events`,
        events,
        { method: 'POST', headers: { 'content-type': 'application/json' } }
      );
      events = [];
    }
  }
  await throttledFetchEvents(`${deps.serverUrl}/api/campaigns/${campaign.id}/events`, events, { method: 'POST' });
  await updateThrottle.flush();
  await throttledFetchStatus(`${deps.serverUrl}/api/campaigns/${campaign.id}/status`, {
    method: 'PUT',
    body: JSON.stringify({ state: 'completed', sent, total: campaign.recipients.length }),
  });
}

module.exports = { processCampaign };
