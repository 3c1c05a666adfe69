import type { SchedulerEvents } from '../events.js';
import type { LogLevel } from './Logger.js';

/** One log line: how much it matters, its fields, and a fixed message (stable, so alerts can match it). */
export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** The events a logger hears of (an `error` event is logged where the fault is reported, listened to or not). */
export type LoggedEvent = Exclude<keyof SchedulerEvents, 'error'>;

/**
 * What an operator reads of an event: a line with the ids and figures that matter, never the events themselves
 * (a batch of a thousand events stays one short line). Pure: the scheduler writes what this returns.
 */
export function logEntryOf<K extends LoggedEvent>(name: K, payload: SchedulerEvents[K]): LogEntry {
  return (entries[name] as (payload: SchedulerEvents[K]) => LogEntry)(payload);
}

const entries: { readonly [K in LoggedEvent]: (payload: SchedulerEvents[K]) => LogEntry } = {
  request: ({ batch, attempt, events }) => ({
    level: 'debug',
    message: 'request started',
    fields: { batchId: batch.batchId, attempt, campaigns: batch.campaigns.length, events },
  }),
  response: ({ batch, attempt, status, error, latencyMs, retryAfterMs }) => {
    const fields = { batchId: batch.batchId, attempt, status, latencyMs };
    if (error === undefined && status !== undefined && status >= 200 && status < 300) {
      return { level: 'debug', message: 'request answered', fields };
    }
    const reason = error ?? `HTTP ${status}`;
    return { level: 'warn', message: 'request failed', fields: { ...fields, reason, retryAfterMs } };
  },
  retry: ({ batch, attempt, delayMs, reason }) => ({
    level: 'warn',
    message: 'batch will be retried',
    fields: { batchId: batch.batchId, attempt, delayMs, reason },
  }),
  breaker: ({ state, cooldownMs }) => {
    if (state === 'open')
      return { level: 'warn', message: 'circuit breaker open: requests paused', fields: { cooldownMs } };
    if (state === 'half-open')
      return { level: 'info', message: 'circuit breaker half-open: sending a probe', fields: {} };
    return { level: 'info', message: 'circuit breaker closed: the server answers again', fields: {} };
  },
  backpressure: ({ active, pendingEvents, limit }) =>
    active
      ? { level: 'warn', message: 'backpressure: record() waits for room', fields: { pendingEvents, limit } }
      : { level: 'info', message: 'backpressure over', fields: { pendingEvents, limit } },
  deadletter: ({ batchId, campaignId, events, status, reason, httpStatus }) => ({
    level: 'error',
    message: 'updates dead-lettered',
    fields: { batchId, campaignId, events: events.length, statusSeq: status?.seq, reason, httpStatus },
  }),
  control: ({ campaignId, state }) => ({
    level: 'info',
    message: 'the server set a campaign state',
    fields: { campaignId, state },
  }),
};
