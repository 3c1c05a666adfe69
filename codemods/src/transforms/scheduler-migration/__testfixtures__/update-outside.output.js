'use strict';
const { updateStatus } = require('./api');

const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients, render } = deps;
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  const scheduler = updateScheduler(serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  scheduler.setStatus(campaign.id, { state: 'running', sent, failed, total });
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    const html = await render(campaign, recipient); // a broken template throws: the campaign fails
    try {
      await transporter.sendMail({ to: recipient.email, html });
      sent++;
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
  };
  for (const recipient of recipients) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  scheduler.setStatus(campaign.id, { state: 'completed', sent, failed, total });
  await scheduler.flush(campaign.id);
}

// The worker's main loop: a campaign that throws is marked failed.
async function runAll(campaigns, deps) {
  for (const campaign of campaigns) {
    try {
      await processCampaign(campaign, deps);
    } catch (err) {
      // TODO(scheduler-migration): updateStatus() posts beside the scheduler; report through updateScheduler(…) instead.
      await updateStatus(deps.serverUrl, campaign.id, { state: 'failed', sent: 0, failed: 0, total: deps.recipients.length });
    }
  }
}

module.exports = { processCampaign, runAll };
