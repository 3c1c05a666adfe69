import type { BreakerState } from './resilience/breaker.js';
import type { Batch, CampaignState, CampaignStatus, RecipientEvent } from './types.js';

/** A request is starting. */
export interface RequestEvent {
  readonly batch: Batch;
  /** 1 for the first try of this batch, more for retries. */
  readonly attempt: number;
  readonly events: number;
  readonly at: number;
}

/** A request ended, with an answer (`status`) or without (`error`: network failure or timeout). */
export interface ResponseEvent {
  readonly batch: Batch;
  readonly attempt: number;
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly latencyMs: number;
  readonly retryAfterMs: number | undefined;
}

/** A batch will be tried again, with the same id and contents, after `delayMs`. */
export interface RetryEvent {
  readonly batch: Batch;
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

/** The circuit breaker changed state. */
export interface BreakerEvent {
  readonly state: BreakerState;
  /** How long it stays open (when `state` is `open`). */
  readonly cooldownMs: number | undefined;
}

/** Pending events reached `maxPendingEvents` (`active`), or room was made again. */
export interface BackpressureEvent {
  readonly active: boolean;
  readonly pendingEvents: number;
  readonly limit: number;
}

/** Updates the server refused for good: they are not retried, and handed to you here. JSON-serialisable. */
export interface DeadLetter {
  readonly batchId: string;
  readonly campaignId: string;
  readonly events: readonly RecipientEvent[];
  readonly status: CampaignStatus | undefined;
  readonly reason: string;
  readonly httpStatus: number | undefined;
}

/** The server asked, in an acknowledgement, that a campaign be paused, resumed or cancelled. */
export interface ControlEvent {
  readonly campaignId: string;
  readonly state: Extract<CampaignState, 'running' | 'paused' | 'cancelled'>;
}

/** Every event of a scheduler and its payload. */
export interface SchedulerEvents {
  request: RequestEvent;
  response: ResponseEvent;
  retry: RetryEvent;
  breaker: BreakerEvent;
  backpressure: BackpressureEvent;
  deadletter: DeadLetter;
  control: ControlEvent;
}
