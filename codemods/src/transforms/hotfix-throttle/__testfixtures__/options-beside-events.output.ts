import { postEvents, updateStatus } from './api';
import type { Outcome } from './api';

import { createThrottle } from '@scope/throttle';

// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.
const updateThrottle = createThrottle({ minIntervalMs: 15000 });
const throttledPostEventsMerged = updateThrottle.wrap(postEvents, {
  key: (...args: Parameters<typeof postEvents>) => args[0],
  merge: ([, previous1]: Parameters<typeof postEvents>, [next0, next1, next2]: Parameters<typeof postEvents>): Parameters<typeof postEvents> => [next0, [...previous1, ...next1], next2],
});
const throttledPostEvents = (...args: Parameters<typeof postEvents>) =>
  throttledPostEventsMerged(...(args.map((arg, i) => (i === 1 ? [...(arg as Parameters<typeof postEvents>[1])] : arg)) as Parameters<typeof postEvents>));
const throttledUpdateStatus = updateThrottle.wrap(updateStatus, { key: (...args: Parameters<typeof updateStatus>) => args[0] });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function processCampaign(campaign: { id: string; emailsPerMinute: number }, recipients: string[], send: (to: string) => Promise<void>): Promise<void> {
  let batch: Outcome[] = [];
  let n = 0;
  for (const r of recipients) {
    await send(r);
    n++;
    batch.push({ recipientId: r, outcome: 'sent', at: new Date().toISOString() });
    if (batch.length === 10) {
      await throttledPostEvents(campaign.id, batch, { idempotencyKey: `${campaign.id}-${n}` });
      batch = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await throttledPostEvents(campaign.id, batch, { final: true, idempotencyKey: `${campaign.id}-final` });
  await updateThrottle.flush();
  await throttledUpdateStatus(campaign.id, { state: 'completed', sent: n, failed: 0, total: recipients.length });
}
