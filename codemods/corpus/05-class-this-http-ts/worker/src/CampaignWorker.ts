import type { AxiosInstance } from 'axios';
import type { Logger } from './logger.js';

export interface Recipient {
  readonly id: string;
  readonly email: string;
  readonly name?: string;
}

export interface CampaignJob {
  readonly id: string;
  readonly emailsPerMinute: number;
  readonly from: string;
  readonly subject: string;
  readonly body: string;
  readonly recipients: readonly Recipient[];
}

interface OutcomeEvent {
  recipientId: string;
  email: string;
  outcome: 'sent' | 'failed' | 'bounced';
  at: string;
  messageId?: string;
  error?: string;
}

export interface Transport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<{ messageId: string }>;
}

const FLUSH_EVERY_MS = 15_000;
const FLUSH_SIZE = 20;

export class CampaignWorker {
  private events: OutcomeEvent[] = [];
  private seq = 0;

  constructor(
    private readonly http: AxiosInstance,
    private readonly transport: Transport,
    private readonly log: Logger,
  ) {}

  async processCampaign(job: CampaignJob): Promise<{ sent: number; failed: number }> {
    const base = { total: job.recipients.length, failed: 0 };
    const spacing = 60_000 / job.emailsPerMinute;
    let sent = 0;
    let failed = 0;

    await this.putStatus(job.id, { ...base, state: 'running', sent, seq: ++this.seq });
    const flusher = setInterval(() => {
      void this.flushEvents(job.id);
      void this.putStatus(job.id, { ...base, state: 'running', sent, failed, seq: ++this.seq });
    }, FLUSH_EVERY_MS);

    for (const recipient of job.recipients) {
      try {
        const { messageId } = await this.transport.sendMail({
          from: job.from,
          to: recipient.email,
          subject: job.subject,
          text: job.body,
        });
        sent += 1;
        this.events.push({ recipientId: recipient.id, email: recipient.email, outcome: 'sent', at: new Date().toISOString(), messageId });
      } catch (err) {
        failed += 1;
        this.events.push({
          recipientId: recipient.id,
          email: recipient.email,
          outcome: 'failed',
          at: new Date().toISOString(),
          error: (err as Error).message,
        });
      }
      if (this.events.length >= FLUSH_SIZE) await this.flushEvents(job.id);
      await new Promise<void>((resolve) => setTimeout(resolve, spacing));
    }

    clearInterval(flusher);
    await this.flushEvents(job.id);
    await this.putStatus(job.id, { ...base, state: 'completed', sent, failed, seq: ++this.seq });
    this.log.info('campaign finished', { campaign: job.id, sent, failed });
    return { sent, failed };
  }

  private async flushEvents(campaignId: string): Promise<void> {
    if (this.events.length === 0) return;
    const events = this.events.splice(0, this.events.length);
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.http.post(`/api/campaigns/${campaignId}/events`, { events });
        return;
      } catch (err) {
        this.log.warn('events post failed', { campaignId, attempt, error: (err as Error).message });
      }
    }
  }

  private async putStatus(
    campaignId: string,
    status: { state: string; sent: number; failed: number; total: number; seq: number },
  ): Promise<void> {
    const body = { ...status, updatedAt: new Date().toISOString() };
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.http.put(`/api/campaigns/${campaignId}/status`, body);
        return;
      } catch (err) {
        this.log.warn('status put failed', { campaignId, attempt, error: (err as Error).message });
      }
    }
  }
}
