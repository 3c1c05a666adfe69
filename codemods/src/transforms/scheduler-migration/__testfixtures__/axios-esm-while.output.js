import axios from 'axios';

import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler;
function updateScheduler(baseUrl) {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

// An ESM worker posting with axios; the buffer is emptied with length = 0.
export async function processCampaign(campaign, { transporter, baseUrl }) {
  let i = 0;
  const scheduler = updateScheduler(baseUrl);
  scheduler.registerCampaign(campaign.id);
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient, ctx) => {
    const info = await transporter.sendMail({ to: recipient.email });
    await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
  };
  while (i < campaign.recipients.length) {
    await processSingleRecipientOptimized(campaign.recipients[i], { scheduler, campaignId: campaign.id });
    i++;
  }

  // TODO(scheduler-migration): check this status: it has no failed, total; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
  scheduler.setStatus(campaign.id, { state: 'completed', sent: i });

  await scheduler.flush(campaign.id);
}
