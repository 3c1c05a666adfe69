export type State = 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

export interface Counters {
  sent: number;
  failed: number;
  total: number;
}

export interface StatusBody extends Counters {
  state: State;
  seq: number;
  updatedAt: string;
}

export function buildStatus(state: State, counters: Counters, seq: number): StatusBody {
  return { state, sent: counters.sent, failed: counters.failed, total: counters.total, seq, updatedAt: new Date().toISOString() };
}
