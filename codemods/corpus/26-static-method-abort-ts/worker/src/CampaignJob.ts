import { withBackoff } from './backoff.js';

export enum RunState {
  Running = 'running',
  Completed = 'completed',
  Failed = 'failed',
}

export interface Recipient {
  id: string;
  email: string;
  name?: string;
}

export interface Campaign {
  id: string;
  emailsPerMinute: number;
  from: string;
  subject: string;
  body: string;
}

export interface JobEnv {
  serverUrl: string;
  deliver(to: string, subject: string, body: string): Promise<{ messageId: string }>;
}

interface RecipientEvent {
  recipientId: string;
  email: string;
  outcome: 'sent' | 'failed';
  at: string;
  messageId?: string;
  error?: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

export class CampaignJob {
  static async send(url: string, method: 'POST' | 'PUT', body: unknown): Promise<void> {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const res = await fetch(url, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status}`);
    } finally {
      clearTimeout(timeout);
    }
  }

  static async processCampaign(campaign: Campaign, recipients: Recipient[], env: JobEnv): Promise<{ sent: number; failed: number }> {
    const base = `${env.serverUrl}/api/campaigns/${campaign.id}`;
    let events: RecipientEvent[] = [];
    let sent = 0;
    let failed = 0;
    let seq = 0;
    let windowTimer: ReturnType<typeof setTimeout> | undefined;

    const postEvents = async (): Promise<void> => {
      clearTimeout(windowTimer);
      windowTimer = undefined;
      if (events.length === 0) return;
      const batch = events;
      events = [];
      await withBackoff(() => CampaignJob.send(`${base}/events`, 'POST', { events: batch }));
    };
    const putStatus = async (state: RunState): Promise<void> => {
      const body = { state, sent, failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() };
      await withBackoff(() => CampaignJob.send(`${base}/status`, 'PUT', body));
    };

    const statusEvery = setInterval(() => void putStatus(RunState.Running), 20_000);
    try {
      for (const recipient of recipients) {
        try {
          const { messageId } = await env.deliver(recipient.email, campaign.subject, campaign.body);
          sent++;
          events.push({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at: new Date().toISOString(), messageId });
        } catch (err) {
          failed++;
          events.push({ recipientId: recipient.id, email: recipient.email, outcome: 'failed', at: new Date().toISOString(), error: (err as Error).message });
        }
        if (events.length >= 30) await postEvents();
        else windowTimer ??= setTimeout(() => void postEvents(), 10_000 + Math.random() * 15_000);
        await new Promise((resolve) => setTimeout(resolve, 60_000 / campaign.emailsPerMinute));
      }
    } finally {
      clearInterval(statusEvery);
    }
    await postEvents();
    await putStatus(RunState.Completed);
    return { sent, failed };
  }
}
