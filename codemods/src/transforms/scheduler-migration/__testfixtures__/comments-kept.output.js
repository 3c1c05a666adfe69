'use strict';
const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends one campaign.
 * @param {object} campaign
 */
async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;

  let sent = 0; // delivered
  let failed = 0; // not delivered

  const scheduler = updateScheduler(serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    // 1. send
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      // Record the success (the server dedupes on recipientId).
      await ctx.scheduler.record(ctx.campaignId, {
        recipientId: recipient.id, // server-side id
        outcome: 'sent',
        at: new Date().toISOString(),
      }); // keep in order
    } catch (err) {
      failed++;
      /* a permanent failure is a bounce */
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: err.responseCode >= 500 ? 'bounced' : 'failed', at: new Date().toISOString() });
    }
  };

  for (const recipient of recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });

    // 3. pace
    await sleep(60000 / campaign.emailsPerMinute);
  }

  // Final status: the dashboard reads "completed" from here.
  scheduler.setStatus(campaign.id, { state: 'completed', sent, failed, total: recipients.length });

  await scheduler.flush(campaign.id);
}

module.exports = { processCampaign };
