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
  const total = campaign.recipients.length;
  let sent = 0;
  let failed = 0;
  const scheduler = updateScheduler(serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  const report = (state) => scheduler.setStatus(campaign.id, { state, sent, failed, total });

  await report('running');
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
    if ((sent + failed) % 100 === 0) await report('running');
  };
  for (const recipient of campaign.recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await report('completed');
  await scheduler.flush(campaign.id);
  return { sent, failed };
}

module.exports = { processCampaign };
