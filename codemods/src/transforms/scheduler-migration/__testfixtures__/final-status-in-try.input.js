'use strict';
const { postEvents, updateStatus } = require('./api');
const db = require('./db');
const metrics = require('./metrics');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  const total = recipients.length;
  let sent = 0;
  let failed = 0;
  let buffer = [];
  const lock = await db.acquireLock(campaign.id);
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    } finally {
      metrics.increment('recipient.processed');
    }
    if (buffer.length >= 50) {
      await postEvents(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  try {
    await postEvents(serverUrl, campaign.id, buffer);
    buffer = [];
    await db.saveCampaign({ id: campaign.id, state: 'completed', sent, failed });
    await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
  } catch (err) {
    metrics.increment('campaign.final_update_failed');
    throw err;
  } finally {
    await lock.release();
    await transporter.close();
    metrics.gauge('campaigns.active', -1);
  }
  return { sent, failed, total };
}

module.exports = { processCampaign };
