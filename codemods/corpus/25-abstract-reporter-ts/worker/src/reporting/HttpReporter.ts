import { BaseReporter } from './BaseReporter.js';
import type { OutcomeEvent, Progress, RunState } from './types.js';

export class HttpReporter extends BaseReporter {
  constructor(
    private readonly baseUrl: string,
    campaignId: string,
  ) {
    super(campaignId, 40);
  }

  protected async sendEvents(events: OutcomeEvent[]): Promise<void> {
    await this.send('POST', 'events', { events });
  }

  protected async sendStatus(body: Progress & { state: RunState; seq: number; updatedAt: string }): Promise<void> {
    await this.send('PUT', 'status', body);
  }

  private async send(method: string, what: string, body: unknown): Promise<void> {
    const url = `${this.baseUrl}/api/campaigns/${this.campaignId}/${what}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        if (res.ok) return;
      } catch {
        // next attempt
      }
    }
    console.warn(`HttpReporter: ${method} ${url} dropped`);
  }
}
