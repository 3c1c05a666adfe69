import type { AxiosInstance } from 'axios';
import { recipientsOf } from './recipients.js';

export interface Campaign {
  id: string;
  emailsPerMinute: number;
  total: number;
  from: string;
  subject: string;
  body: string;
}

interface Event {
  recipientId: string;
  email: string;
  outcome: 'sent' | 'failed';
  at: string;
  messageId?: string;
  error?: string;
}

export interface Mailer {
  sendMail(m: { from: string; to: string; subject: string; text: string }): Promise<{ messageId: string }>;
}

const FLUSH_SIZE = 25;
const STATUS_EVERY_N = 50;

async function retrying(what: string, call: () => Promise<unknown>): Promise<void> {
  for (let i = 1; i <= 3; i++) {
    try {
      await call();
      return;
    } catch (e) {
      console.warn(`${what} failed (${i}/3): ${(e as Error).message}`);
    }
  }
}

export async function processCampaign(http: AxiosInstance, campaign: Campaign, mailer: Mailer): Promise<void> {
  let events: Event[] = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  const spacing = 60_000 / campaign.emailsPerMinute;

  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    if (events.length === 0) return;
    const batch = events;
    events = [];
    await retrying('events', () => http.post(`/api/campaigns/${campaign.id}/events`, { events: batch }));
  };
  const status = (state: 'running' | 'completed') =>
    retrying('status', () =>
      http.put(`/api/campaigns/${campaign.id}/status`, {
        state,
        sent,
        failed,
        total: campaign.total,
        seq: ++seq,
        updatedAt: new Date().toISOString(),
      }),
    );

  await status('running');
  for await (const recipient of recipientsOf(http, campaign.id)) {
    try {
      const info = await mailer.sendMail({ from: campaign.from, to: recipient.email, subject: campaign.subject, text: campaign.body });
      sent++;
      events.push({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (e) {
      failed++;
      events.push({ recipientId: recipient.id, email: recipient.email, outcome: 'failed', at: new Date().toISOString(), error: (e as Error).message });
    }
    if (events.length >= FLUSH_SIZE) await flush();
    else timer ??= setTimeout(() => void flush(), 10_000 + Math.random() * 15_000);
    if ((sent + failed) % STATUS_EVERY_N === 0) await status('running');
    await new Promise((r) => setTimeout(r, spacing));
  }
  await flush();
  await status('completed');
  console.log(`campaign ${campaign.id}: ${sent} sent, ${failed} failed`);
}
