const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

// A worker written as an object with a method; the buffer is reassigned after each post.
const worker = {
  async processCampaign(campaign, { transporter, serverUrl, sleep }) {
    const scheduler = updateScheduler(serverUrl);
    scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
    // The original per-recipient work; its outcomes go to the scheduler.
    const processSingleRecipientOptimized = async (recipient, ctx) => {
      await transporter.sendMail({ to: recipient.email });
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    };
    for (const recipient of campaign.recipients) {
      await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
      await sleep(60000 / campaign.emailsPerMinute);
    }
    scheduler.setStatus(campaign.id, { state: 'completed', sent: campaign.recipients.length, failed: 0, total: campaign.recipients.length });
    await scheduler.flush(campaign.id);
  },
};

module.exports = worker;
