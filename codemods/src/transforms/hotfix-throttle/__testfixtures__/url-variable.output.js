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
  const { transporter, serverUrl, recipients } = deps;
  const eventsUrl = `${serverUrl}/api/campaigns/${campaign.id}/events`;
  const statusUrl = `${serverUrl}/api/campaigns/${campaign.id}/status`;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    await throttledFetchEvents(eventsUrl, events, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  };
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) await flush();
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await flush();
  await updateThrottle.flush();
  await throttledFetchStatus(statusUrl, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ state: 'completed', sent, failed, total: recipients.length }),
  });
}

module.exports = { processCampaign };
