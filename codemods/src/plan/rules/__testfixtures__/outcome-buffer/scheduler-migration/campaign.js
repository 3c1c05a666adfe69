'use strict';

const axios = require('axios');
const { serverUpdates } = require('./server-updates');

const BATCH = 25;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function processCampaign(campaign, mailer, base) {
  let seq = 0;

  const status = (state) =>
    serverUpdates.axios(axios, 'put', `${base}/api/campaigns/${campaign.id}/status`, { state, seq: ++seq, updatedAt: new Date().toISOString() });

  await status('running');
  const processSingleRecipientOptimized = async (r, ctx) => {
    try {
      const info = await mailer.sendMail({ to: r.email });
      try {
        await serverUpdates.axios(axios, 'post', `${base}/api/campaigns/${campaign.id}/events`, { events: [{ recipientId: r.id, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId }] });
      } catch (error) {
        console.error('event not recorded:', error);
      }
    } catch (err) {
      await serverUpdates.axios(axios, 'post', `${base}/api/campaigns/${campaign.id}/events`, { events: [{ recipientId: r.id, outcome: 'failed', at: new Date().toISOString(), error: err.message }] });
    }

  };
  let recipientIndex = 0;
  for (const r of campaign.recipients) {
    await processSingleRecipientOptimized(r, { index: recipientIndex++ });
    await sleep(1000);
  }
  await status('completed');
}

module.exports = { processCampaign };
