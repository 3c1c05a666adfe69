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
  const { transporter, serverUrl, recipients } = deps;
  const interval = 60000 / campaign.emailsPerMinute;
  let sent = 0;
  let failed = 0;
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
    }
  };
  for (const recipient of recipients) {
    const started = Date.now();
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
    // Sending took some of the slot already.
    await sleep(Math.max(0, interval - (Date.now() - started)));
  }
  scheduler.setStatus(campaign.id, { state: 'completed', sent, failed, total: recipients.length });
  await scheduler.flush(campaign.id);
}

module.exports = { processCampaign };
