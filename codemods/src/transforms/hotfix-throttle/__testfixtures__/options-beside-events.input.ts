import { postEvents, updateStatus } from './api';
import type { Outcome } from './api';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function processCampaign(campaign: { id: string; emailsPerMinute: number }, recipients: string[], send: (to: string) => Promise<void>): Promise<void> {
  let batch: Outcome[] = [];
  let n = 0;
  for (const r of recipients) {
    await send(r);
    n++;
    batch.push({ recipientId: r, outcome: 'sent', at: new Date().toISOString() });
    if (batch.length === 10) {
      await postEvents(campaign.id, batch, { idempotencyKey: `${campaign.id}-${n}` });
      batch = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await postEvents(campaign.id, batch, { final: true, idempotencyKey: `${campaign.id}-final` });
  await updateStatus(campaign.id, { state: 'completed', sent: n, failed: 0, total: recipients.length });
}
