import type { EventPayload, MainApi, StatusPayload } from './mainApi.js';

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

export interface MailPort {
  sendMail(msg: { from: string; to: string; subject: string; html: string }): Promise<{ messageId: string }>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export interface Deps {
  api: MainApi;
  mail: MailPort;
  clock: Clock;
}

export class CampaignService {
  private buffer: EventPayload[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;

  constructor(private readonly deps: Deps) {}

  public async processCampaign(campaign: Campaign, recipients: Recipient[]): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    const status = (state: StatusPayload['state']): StatusPayload => ({
      state,
      sent,
      failed,
      total: recipients.length,
      seq: ++this.seq,
      updatedAt: this.deps.clock.now().toISOString(),
    });

    await this.safe(() => this.deps.api.sendStatus(campaign.id, status('running')));

    for (const [index, recipient] of recipients.entries()) {
      try {
        const info = await this.deps.mail.sendMail({ from: campaign.from, to: recipient.email, subject: campaign.subject, html: campaign.body });
        sent++;
        this.buffer.push({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at: this.deps.clock.now().toISOString(), messageId: info.messageId });
      } catch (e) {
        failed++;
        this.buffer.push({ recipientId: recipient.id, email: recipient.email, outcome: 'failed', at: this.deps.clock.now().toISOString(), error: (e as Error).message });
      }

      if (this.buffer.length >= 40) {
        await this.flush(campaign.id);
      } else if (this.flushTimer === null) {
        this.flushTimer = setTimeout(() => void this.flush(campaign.id), 10_000 + Math.random() * 15_000);
      }
      if ((index + 1) % campaign.emailsPerMinute === 0) {
        await this.safe(() => this.deps.api.sendStatus(campaign.id, status('running')));
      }
      await this.deps.clock.sleep(60_000 / campaign.emailsPerMinute);
    }

    await this.flush(campaign.id);
    await this.safe(() => this.deps.api.sendStatus(campaign.id, status('completed')));
    return { sent, failed };
  }

  private async flush(campaignId: string): Promise<void> {
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    await this.safe(() => this.deps.api.sendEvents(campaignId, events));
  }

  /** The interceptor already retried; a failure here is logged and forgotten. */
  private async safe(call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (e) {
      console.error('main server update lost:', (e as Error).message);
    }
  }
}
