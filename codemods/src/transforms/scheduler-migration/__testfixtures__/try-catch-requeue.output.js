'use strict';
const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, logger } = deps;
  let sent = 0;
  const total = campaign.recipients.length;
  const scheduler = updateScheduler(serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    await transporter.sendMail({ to: recipient.email });
    sent++;
    await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  };
  for (const recipient of campaign.recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  try {
    scheduler.setStatus(campaign.id, { state: 'completed', sent, failed: 0, total });
    await scheduler.flush(campaign.id);
  } catch (err) {
    logger.error('final update failed', err);
  }
}

module.exports = { processCampaign };
