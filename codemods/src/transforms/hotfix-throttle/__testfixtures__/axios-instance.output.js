'use strict';
const axios = require('axios');
const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledHttpPostEventsMerged = updateThrottle.wrap((url, events, config) => http.post(url, { events }, config), {
  key: (url) => String(url),
  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],
});
const throttledHttpPostEvents = (url, events, options) => throttledHttpPostEventsMerged(url, [...events], options);
const throttledHttpPutStatus = updateThrottle.wrap((...args) => http.put(...args), { key: (url) => String(url) });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const http = axios.create({ baseURL: process.env.MAIN_SERVER_URL, headers: { Authorization: `Bearer ${process.env.WORKER_TOKEN}` } });

async function processCampaign(campaign, deps) {
  let buffer = [];
  let sent = 0;
  for (const recipient of campaign.recipients) {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await throttledHttpPostEvents('/api/campaigns/' + campaign.id + '/events', buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await throttledHttpPostEvents('/api/campaigns/' + campaign.id + '/events', buffer);
  await updateThrottle.flush();
  await throttledHttpPutStatus('/api/campaigns/' + campaign.id + '/status', { state: 'completed', sent, failed: 0, total: campaign.recipients.length });
}

module.exports = { processCampaign };
