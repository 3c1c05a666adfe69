import axios from 'axios';
import { Batcher } from './Batcher.js';

export interface CampaignStatus {
  state: 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
  sent: number;
  failed: number;
  total: number;
  seq: number;
  updatedAt: string;
}

interface RecipientEvent {
  recipientId: string;
  email: string;
  outcome: 'sent' | 'failed' | 'bounced';
  at: string;
  messageId?: string;
  error?: string;
}

type SendResult = { kind: 'ok'; messageId: string } | { kind: 'bounce'; reason: string } | { kind: 'error'; reason: string };

export interface Campaign {
  id: string;
  emailsPerMinute: number;
  from: string;
  subject: string;
  body: string;
}

export interface Recipient {
  id: string;
  email: string;
}

export type Deliver = (recipient: Recipient) => Promise<SendResult>;

async function attempt3(fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 3; i++) {
    try {
      await fn();
      return;
    } catch {
      // immediately again
    }
  }
}

export async function processCampaign(apiBase: string, campaign: Campaign, recipients: Recipient[], deliver: Deliver): Promise<void> {
  let sent = 0;
  let failed = 0;
  let seq = 0;
  const batcher = new Batcher<RecipientEvent>({
    maxSize: 30,
    maxWaitMs: 15_000,
    onFlush: (events) => attempt3(() => axios.post(`${apiBase}/api/campaigns/${campaign.id}/events`, { events })),
  });
  const putStatus = (state: CampaignStatus['state']) => {
    const status = { state, sent, failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() } satisfies CampaignStatus;
    return attempt3(() => axios.put(`${apiBase}/api/campaigns/${campaign.id}/status`, status));
  };

  for (const recipient of recipients) {
    const result = await deliver(recipient);
    const at = new Date().toISOString();
    switch (result.kind) {
      case 'ok':
        sent++;
        await batcher.add({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at, messageId: result.messageId });
        break;
      case 'bounce':
        failed++;
        await batcher.add({ recipientId: recipient.id, email: recipient.email, outcome: 'bounced', at, error: result.reason });
        break;
      case 'error':
        failed++;
        await batcher.add({ recipientId: recipient.id, email: recipient.email, outcome: 'failed', at, error: result.reason });
        break;
    }
    if ((sent + failed) % 40 === 0) await putStatus('running');
    await new Promise((r) => setTimeout(r, 60_000 / campaign.emailsPerMinute));
  }

  await batcher.close();
  await putStatus('completed');
}
