import { fetchRecipients } from './server-api';
import type { Campaign, Deps } from './types';

import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler: ServerUpdateScheduler | undefined;
function updateScheduler(baseUrl: string | undefined): ServerUpdateScheduler {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

// Legacy TypeScript worker: posts outcomes every 50 and the status each minute.
export const processCampaign = async (campaign: Campaign, deps: Deps): Promise<void> => {
  const recipients = await fetchRecipients(campaign.id);
  let sent = 0;
  // TODO(scheduler-migration): the main server's URL could not be inferred; set it here.
  const scheduler = updateScheduler(process.env.MAIN_SERVER_URL);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient: (typeof recipients)[number], ctx: { scheduler: ServerUpdateScheduler; campaignId: string }) => {
    await deps.mailer.send(recipient);
    sent++;
    await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    if (sent % campaign.emailsPerMinute === 0) {
      // TODO(scheduler-migration): check this status: it has no failed; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
      ctx.scheduler.setStatus(ctx.campaignId, { state: 'running', sent, total: recipients.length });
    }
  };
  for (let i = 0; i < recipients.length; i++) {
    await processSingleRecipientOptimized(recipients[i], { scheduler, campaignId: campaign.id });
  }

  // TODO(scheduler-migration): check this status: it has no failed; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).
  scheduler.setStatus(campaign.id, { state: 'completed', sent, total: recipients.length });

  await scheduler.flush(campaign.id);
};
