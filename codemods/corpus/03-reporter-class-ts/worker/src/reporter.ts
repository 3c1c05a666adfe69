import type { CampaignState, RecipientEvent } from './types.js';

const MAX_BUFFER = 50;
const ATTEMPTS = 3;

/**
 * Collects per-recipient outcomes and pushes them to the main server.
 * One reporter per campaign; call close() when the campaign is over.
 */
export class ProgressReporter {
  private buffer: RecipientEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;

  constructor(
    private readonly serverUrl: string,
    private readonly campaignId: string,
    private readonly total: number,
  ) {}

  async record(event: RecipientEvent): Promise<void> {
    this.buffer.push(event);
    if (this.buffer.length >= MAX_BUFFER) {
      await this.flush();
    } else if (this.timer === undefined) {
      // 10-25s, randomised so workers started together drift apart
      this.timer = setTimeout(() => void this.flush(), 10_000 + Math.floor(Math.random() * 15_000));
    }
  }

  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    await this.send('POST', `/api/campaigns/${this.campaignId}/events`, { events });
  }

  async status(state: CampaignState, sent: number, failed: number): Promise<void> {
    this.seq += 1;
    await this.send('PUT', `/api/campaigns/${this.campaignId}/status`, {
      state,
      sent,
      failed,
      total: this.total,
      seq: this.seq,
      updatedAt: new Date().toISOString(),
    });
  }

  async close(sent: number, failed: number): Promise<void> {
    await this.flush();
    await this.status('completed', sent, failed);
  }

  private async send(method: 'POST' | 'PUT', path: string, body: unknown): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        const res = await fetch(this.serverUrl + path, {
          method,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.ok) return;
        console.warn(`reporter: ${method} ${path} answered ${res.status}`);
      } catch (err) {
        console.warn(`reporter: ${method} ${path} threw`, err);
      }
    }
    // TODO(platform): persist somewhere instead of dropping
    console.error(`reporter: dropped ${method} ${path}`);
  }
}
