'use strict';

const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledFetchEventsMerged = updateThrottle.wrap((url, events, init) => fetch(url, { ...init, body: JSON.stringify({ events }) }), {
  key: (url) => String(url),
  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],
});
const throttledFetchEvents = (url, events, options) => throttledFetchEventsMerged(url, [...events], options);
const throttledFetchStatus = updateThrottle.wrap((url, init) => fetch(url, init), { key: (url) => String(url) });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  let buffer = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await throttledFetchEvents(new URL(`/api/campaigns/${campaign.id}/events`, deps.serverUrl), buffer, { method: 'POST' });
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await throttledFetchEvents(new URL(`/api/campaigns/${campaign.id}/events`, deps.serverUrl), buffer, { method: 'POST' });
  await updateThrottle.flush();
  await throttledFetchStatus(new URL(`/api/campaigns/${campaign.id}/status`, deps.serverUrl), { method: 'PUT', body: JSON.stringify({ state: 'completed', sent, failed: 0, total: campaign.recipients.length }) });
}

module.exports = { processCampaign };
