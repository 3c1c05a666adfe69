const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

class CampaignRunner {
  constructor(transporter) {
    this.transporter = transporter;
  }

  // Each outcome is buffered; the buffer goes out every 50 events.
  async processCampaign(campaign, recipients) {
    let index = 0;
    // TODO(scheduler-migration): the main server's URL could not be inferred; set it here.
    const scheduler = updateScheduler(process.env.MAIN_SERVER_URL);
    scheduler.registerCampaign(campaign.id);
    // The original per-recipient work; its outcomes go to the scheduler.
    const processSingleRecipientOptimized = async (recipient, ctx) => {
      const info = await this.transporter.sendMail({ to: recipient.email });
      await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    };
    while (index < recipients.length) {
      await processSingleRecipientOptimized(recipients[index], { scheduler, campaignId: campaign.id });
      index++;
    }

    // TODO(scheduler-migration): check this status: what it holds cannot be read here; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
    scheduler.setStatus(campaign.id, 'completed');

    await scheduler.flush(campaign.id);
  }
}

module.exports = { CampaignRunner };
