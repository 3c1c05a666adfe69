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
  const { transporter, serverUrl, heartbeat } = deps;
  let sent = 0;
  let failed = 0;
  const total = campaign.recipients.length;
  const alive = setInterval(() => heartbeat.touch(campaign.id), 5000);
  const scheduler = updateScheduler(serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    let timer;
    try {
      await Promise.race([
        transporter.sendMail({ to: recipient.email }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('SMTP timeout')), 30000);
        }),
      ]);
      sent++;
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    } finally {
      clearTimeout(timer);
    }
  };
  for (const recipient of campaign.recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  clearInterval(alive);
  scheduler.setStatus(campaign.id, { state: 'completed', sent, failed, total });
  await scheduler.flush(campaign.id);
}

module.exports = { processCampaign };
