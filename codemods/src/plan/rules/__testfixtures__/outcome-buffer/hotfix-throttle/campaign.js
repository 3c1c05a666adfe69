'use strict';

const axios = require('axios');
const { serverUpdates } = require('./server-updates');

const BATCH = 25;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function processCampaign(campaign, mailer, base) {
  let pending = [];
  let flushTimer = null;
  let seq = 0;

  // Posts what is buffered; the timer below catches a slow trickle.
  const flush = async () => {
    clearTimeout(flushTimer);
    flushTimer = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      await serverUpdates.axios(axios, 'post', `${base}/api/campaigns/${campaign.id}/events`, { events: batch });
    } catch (err) {
      console.error('events lost', batch.length, err.message);
    }
  };
  const status = (state) =>
    serverUpdates.axios(axios, 'put', `${base}/api/campaigns/${campaign.id}/status`, { state, seq: ++seq, updatedAt: new Date().toISOString() });

  await status('running');
  for (const r of campaign.recipients) {
    try {
      const info = await mailer.sendMail({ to: r.email });
      pending.push({ recipientId: r.id, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (err) {
      pending.push({ recipientId: r.id, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    }

    if (pending.length >= BATCH) {
      await flush();
    } else if (!flushTimer) {
      flushTimer = setTimeout(flush, 10000);
    }
    await sleep(1000);
  }
  await flush();
  await status('completed');
}

module.exports = { processCampaign };
