import { State } from './contract';
import type { Outcome, StatusBody } from './contract';

import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';

// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.
let sharedScheduler: ServerUpdateScheduler | undefined;
function updateScheduler(baseUrl: string | undefined): ServerUpdateScheduler {
  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy' }) });
  return sharedScheduler;
}

type Campaign = { readonly id: string; readonly emailsPerMinute: number };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function processCampaign(campaign: Campaign, deps: { serverUrl: string; recipients: readonly string[]; send(to: string): Promise<boolean> }): Promise<State> {
  let sent = 0;
  let failed = 0;
  const total = deps.recipients.length;
  const report = (state: State) => ({ state, sent, failed, total }) satisfies StatusBody;
  const scheduler = updateScheduler(deps.serverUrl);
  scheduler.registerCampaign(campaign.id, { emailsPerMinute: campaign.emailsPerMinute });
  // The original per-recipient work; its outcomes go to the scheduler.
  const processSingleRecipientOptimized = async (to: (typeof deps.recipients)[number], ctx: { scheduler: ServerUpdateScheduler; campaignId: string }) => {
    const ok = await deps.send(to);
    if (ok) sent++; else failed++;
    await ctx.scheduler.record(ctx.campaignId, { recipientId: to, outcome: ok ? 'sent' : 'failed', at: new Date().toISOString() } satisfies Outcome);
    ctx.scheduler.setStatus(ctx.campaignId, report(State.Running));
  };
  for (const to of deps.recipients) {
    await processSingleRecipientOptimized(to, { scheduler, campaignId: campaign.id });
    await sleep(60000 / campaign.emailsPerMinute);
  }
  const finalState = failed === total ? State.Failed : State.Completed;
  scheduler.setStatus(campaign.id, { state: finalState, sent, failed, total } satisfies StatusBody);
  await scheduler.flush(campaign.id);
  return finalState;
}
