'use strict';
const db = require('./db');
const metrics = require('./metrics');

const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  const total = recipients.length;
  let sent = 0;
  let failed = 0;
  const lock = await db.acquireLock(campaign.id);
  const scheduler = updateScheduler(serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    } finally {
      metrics.increment('recipient.processed');
    }
  };
  for (const recipient of recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  try {
    await db.saveCampaign({ id: campaign.id, state: 'completed', sent, failed });
    scheduler.setStatus(campaign.id, { state: 'completed', sent, failed, total });
    await scheduler.flush(campaign.id);
  } catch (err) {
    metrics.increment('campaign.final_update_failed');
    await scheduler.flush(campaign.id);
    throw err;
  } finally {
    await lock.release();
    await transporter.close();
    metrics.gauge('campaigns.active', -1);
  }
  return { sent, failed, total };
}

module.exports = { processCampaign };
