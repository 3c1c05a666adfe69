export type Outcome = 'sent' | 'failed' | 'bounced' | 'skipped';
export type RunState = 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

export interface OutcomeEvent {
  recipientId: string;
  email?: string;
  outcome: Outcome;
  at: string;
  messageId?: string;
  error?: string;
}

export interface Progress {
  sent: number;
  failed: number;
  total: number;
}

export interface Reporter {
  outcome(event: OutcomeEvent): Promise<void>;
  progress(state: RunState, progress: Progress): Promise<void>;
  finish(progress: Progress): Promise<void>;
}
