import type { OutcomeEvent, Progress, Reporter, RunState } from './types.js';

export abstract class BaseReporter implements Reporter {
  protected buffer: OutcomeEvent[] = [];
  private seq = 0;
  private window: ReturnType<typeof setTimeout> | undefined;

  protected constructor(protected readonly campaignId: string, private readonly maxBatch = 50) {}

  protected abstract sendEvents(events: OutcomeEvent[]): Promise<void>;
  protected abstract sendStatus(body: Progress & { state: RunState; seq: number; updatedAt: string }): Promise<void>;

  async outcome(event: OutcomeEvent): Promise<void> {
    this.buffer.push(event);
    if (this.buffer.length >= this.maxBatch) return this.drain();
    this.window ??= setTimeout(() => void this.drain(), 10_000 + Math.random() * 15_000);
  }

  async progress(state: RunState, progress: Progress): Promise<void> {
    await this.sendStatus({ ...progress, state, seq: ++this.seq, updatedAt: new Date().toISOString() });
  }

  async finish(progress: Progress): Promise<void> {
    await this.drain();
    await this.progress('completed', progress);
  }

  protected async drain(): Promise<void> {
    clearTimeout(this.window);
    this.window = undefined;
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    await this.sendEvents(events);
  }
}
