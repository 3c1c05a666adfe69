import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler: ServerUpdateScheduler | undefined;
function updateScheduler(baseUrl: string | undefined): ServerUpdateScheduler {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

interface Recipient { id: string; email: string }
interface Deps { serverUrl: string; send(to: string): Promise<void>; load(id: string): Promise<Recipient[]> }

export const processCampaign = async (campaign: { id: string; emailsPerMinute: number }, deps: Deps): Promise<void> => {
  let sent = 0;
  const scheduler = updateScheduler(deps.serverUrl);
  scheduler.registerCampaign(campaign.id);
  const recipientList = await deps.load(campaign.id);
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (recipient: (typeof recipientList)[number], ctx: { scheduler: ServerUpdateScheduler; campaignId: string }) => {
    await deps.send(recipient.email);
    sent++;
    await ctx.scheduler.record(ctx.campaignId, { recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
  };
  for (const recipient of recipientList) {
    await processSingleRecipientOptimized(recipient, { scheduler, campaignId: campaign.id });
  }
  scheduler.setStatus(campaign.id, { state: 'completed', sent, failed: 0, total: sent, seq: 1, updatedAt: new Date().toISOString() });
  await scheduler.flush(campaign.id);
};
