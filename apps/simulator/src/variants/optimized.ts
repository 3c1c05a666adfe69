import { createHttpTransport, type SchedulerOptions, ServerUpdateScheduler } from '@scope/scheduler';
import type { SimCampaign, SimMail, Variant } from './types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The optimized worker of phase 2: the same pacing and per-recipient work as the legacy loop, each outcome going to
 * one process-wide `ServerUpdateScheduler` (bulk shape) and the status to `setStatus`; no buffer, no timers.
 */
export const optimized: Variant = {
  name: 'optimized',
  runWorker: (campaigns, serverUrl, mail) => runOptimized(campaigns, serverUrl, mail),
};

/** Runs one optimized worker; `options` are added to its scheduler's (a fleet budget's `requestGate`). */
export async function runOptimized(
  campaigns: readonly SimCampaign[],
  serverUrl: string,
  mail: SimMail,
  options: Partial<SchedulerOptions> = {},
): Promise<void> {
  const scheduler = new ServerUpdateScheduler({
    transport: createHttpTransport({ baseUrl: serverUrl, shape: 'bulk' }),
    ...options,
  });
  await Promise.all(
    campaigns.map(async ({ campaign, recipients }) => {
      scheduler.registerCampaign(campaign.id, {
        emailsPerMinute: campaign.emailsPerMinute,
        total: recipients.length,
      });
      const delay = 60_000 / campaign.emailsPerMinute;
      let sent = 0;
      for (const recipient of recipients) {
        const info = await mail.sendMail();
        sent++;
        await scheduler.record(campaign.id, {
          recipientId: recipient.id,
          email: recipient.email,
          outcome: 'sent',
          at: new Date().toISOString(),
          messageId: info.messageId,
        });
        scheduler.setStatus(campaign.id, { state: 'running', sent, failed: 0, total: recipients.length });
        await sleep(delay);
      }
      scheduler.setStatus(campaign.id, { state: 'completed', sent, failed: 0, total: recipients.length });
    }),
  );
  await scheduler.close({ timeoutMs: 3_600_000 });
}
