import { api, settings } from './api/index.js';

export interface Recipient {
  readonly id: string;
  readonly email: string;
  readonly name?: string;
}

export interface Campaign {
  readonly id: string;
  readonly emailsPerMinute: number;
  readonly from: string;
  readonly subject: string;
  readonly body: string;
}

export type Outcome = 'sent' | 'failed' | 'bounced' | 'skipped';

export interface RecipientEvent {
  readonly recipientId: string;
  readonly email?: string;
  readonly outcome: Outcome;
  readonly at: string;
  readonly messageId?: string;
  readonly error?: string;
}

interface Ack {
  accepted: number;
}

export type Send = (message: { from: string; to: string; subject: string; text: string }) => Promise<{ messageId: string }>;
export type CampaignProcessor = (campaign: Campaign, recipients: readonly Recipient[], send: Send) => Promise<number>;

export const processCampaign: CampaignProcessor = async (campaign, recipients, send) => {
  let events: RecipientEvent[] = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  const total = recipients.length;
  const tick = 60_000 / campaign.emailsPerMinute;

  const pushEvents = async (): Promise<void> => {
    if (events.length === 0) return;
    const batch: readonly RecipientEvent[] = events;
    events = [];
    await api.post<Ack>(`/api/campaigns/${campaign.id}/events`, { events: batch });
  };
  const pushStatus = (state: 'running' | 'completed') =>
    api.put<Ack>(`/api/campaigns/${campaign.id}/status`, {
      state,
      sent,
      failed,
      total,
      seq: ++seq,
      updatedAt: new Date().toISOString(),
    });

  const timer = setInterval(() => {
    void pushStatus('running');
  }, 30_000);

  for (const recipient of recipients) {
    const at = () => new Date().toISOString();
    try {
      const { messageId } = await send({ from: campaign.from, to: recipient.email, subject: campaign.subject, text: campaign.body });
      sent++;
      events.push({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at: at(), messageId });
    } catch (error) {
      failed++;
      events.push({ recipientId: recipient.id, email: recipient.email, outcome: 'failed', at: at(), error: String(error) });
    }
    if (events.length >= settings.flushSize) await pushEvents();
    if ((sent + failed) % 60 === 0) await pushStatus('running');
    await new Promise<void>((resolve) => setTimeout(resolve, tick));
  }

  clearInterval(timer);
  await pushEvents();
  await pushStatus('completed');
  return sent;
};
