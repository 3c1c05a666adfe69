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
  const { transporter, serverUrl } = deps;
  const counters = { sent: 0, failed: 0, bounced: 0 };
  let seq = 0;
  const total = campaign.recipients.length;
  const snapshot = (state) => ({ state, ...counters, total, seq: seq++, updatedAt: new Date().toISOString() });
  const scheduler = updateScheduler(serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });

  // TODO(scheduler-migration): check this status: it spreads or computes fields, and setStatus refuses any but state, sent, failed, total, seq, updatedAt; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
  scheduler.setStatus(campaign.id, snapshot('running'));

  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    try {
      await transporter.sendMail({ to: recipient.email });
      counters.sent++;
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      if (err.responseCode >= 500) counters.bounced++;
      else counters.failed++;
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: err.responseCode >= 500 ? 'bounced' : 'failed', at: new Date().toISOString() });
    }

    // TODO(scheduler-migration): check this status: it spreads or computes fields, and setStatus refuses any but state, sent, failed, total, seq, updatedAt; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
    ctx.scheduler.setStatus(ctx.campaignId, { ...counters, state: 'running', total });
  };
  for (const recipient of campaign.recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
    await sleep(60000 / campaign.emailsPerMinute);
  }

  // TODO(scheduler-migration): check this status: it spreads or computes fields, and setStatus refuses any but state, sent, failed, total, seq, updatedAt; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
  scheduler.setStatus(campaign.id, snapshot('completed'));

  await scheduler.flush(campaign.id);
}

module.exports = { processCampaign };
