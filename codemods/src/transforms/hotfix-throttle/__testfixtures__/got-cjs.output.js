const got = require('got');

const { createThrottle } = require('@scope/throttle');

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledGotPostEventsMerged = updateThrottle.wrap((url, events, options) => got.post(url, { ...options, json: { events } }), {
  key: (url) => String(url),
  merge: (previous, next) => [next[0], [...previous[1], ...next[1]], next[2]],
});
const throttledGotPostEvents = (url, events, options) => throttledGotPostEventsMerged(url, [...events], options);
const throttledGotPutStatus = updateThrottle.wrap((...args) => got.put(...args), { key: (url) => String(url) });

const SERVER = process.env.MAIN_SERVER;

// A worker posting with got, an indexed loop, the buffer spliced empty.
const processCampaign = async function (campaign, transporter) {
  const buffer = [];
  for (let i = 0; i < campaign.recipients.length; i++) {
    await transporter.sendMail({ to: campaign.recipients[i].email });
    buffer.push({ recipientId: campaign.recipients[i].id, outcome: 'sent', at: new Date().toISOString() });
    if (buffer.length >= 50) {
      await throttledGotPostEvents(SERVER + '/api/campaigns/' + campaign.id + '/events', buffer, { retry: { limit: 2 } });
      buffer.splice(0, buffer.length);
    }
  }
  await throttledGotPostEvents(SERVER + '/api/campaigns/' + campaign.id + '/events', buffer, {  });
  await updateThrottle.flush();
  await throttledGotPutStatus(SERVER + '/api/campaigns/' + campaign.id + '/status', { json: { state: 'completed' } });
};

module.exports = { processCampaign };
