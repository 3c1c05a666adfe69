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
  const base = deps.serverUrl;
  let events = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    // The dashboard can pause a campaign: ask the server before each email.
    const res = await fetch(`${base}/api/campaigns/${campaign.id}/status`);
    const { state } = await res.json();
    if (state === 'paused') await sleep(60000);
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    events.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 50) {
      await throttledFetchEvents(
        `${base}/api/campaigns/${campaign.id}/events`,
        events,
        { method: 'POST', headers: { 'content-type': 'application/json' } }
      );
      events = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await throttledFetchEvents(
    `${base}/api/campaigns/${campaign.id}/events`,
    events,
    { method: 'POST', headers: { 'content-type': 'application/json' } }
  );
  await updateThrottle.flush();
  await throttledFetchStatus(`${base}/api/campaigns/${campaign.id}/status`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'completed', sent, failed: 0, total: campaign.recipients.length }) });
}

module.exports = { processCampaign };
