// Updates posted straight with fetch, the buffer cleared by reassignment.
const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

async function processCampaign(campaign, deps) {
  let sent = 0;
  const scheduler = updateScheduler(deps.serverUrl);
  scheduler.registerCampaign(campaign.id);
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    await deps.transporter.sendMail({ to: recipient.email });
    sent++;
    await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  };
  for (const recipient of campaign.recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
  }

  // TODO(scheduler-migration): check this status: it has no failed; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
  scheduler.setStatus(campaign.id, { state: 'completed', sent, total: campaign.recipients.length });

  await scheduler.flush(campaign.id);
}

module.exports = { processCampaign };
