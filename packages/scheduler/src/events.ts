import type { BreakerState } from './resilience/breaker.js';
import type { Batch, CampaignState, CampaignStatus, RecipientEvent } from './types.js';

/** A request is starting. */
export interface RequestEvent {
  /** What is being sent. */
  readonly batch: Batch;
  /** 1 for the first try of this batch, more for retries. */
  readonly attempt: number;
  /** Events in the batch. */
  readonly events: number;
  /** When it started (ms since the epoch, from the scheduler's clock). */
  readonly at: number;
}

/** A request ended, with an answer (`status`) or without (`error`: network failure or timeout). */
export interface ResponseEvent {
  readonly batch: Batch;
  readonly attempt: number;
  /** The HTTP status, or undefined when no answer came. */
  readonly status: number | undefined;
  /** Why no answer came (network error, timeout). */
  readonly error: string | undefined;
  /** From the start of the request to its end. */
  readonly latencyMs: number;
  /** What the server asked for in `Retry-After`. */
  readonly retryAfterMs: number | undefined;
}

/** A batch will be tried again, with the same id and contents, after `delayMs`. */
export interface RetryEvent {
  readonly batch: Batch;
  /** The attempt that failed. */
  readonly attempt: number;
  /** How long until it may go again (backoff, or Retry-After if longer; the spacing still applies). */
  readonly delayMs: number;
  /** What went wrong (`HTTP 503: …`, `network error: …`, `TimeoutError: …`). */
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
  /** True when callers start to wait, false when the last one was let in. */
  readonly active: boolean;
  /** Events held when it changed. */
  readonly pendingEvents: number;
  /** `maxPendingEvents`. */
  readonly limit: number;
}

/** Updates the server refused for good: they are not retried, and handed to you here. JSON-serialisable. */
export interface DeadLetter {
  /** The batch that carried them. */
  readonly batchId: string;
  readonly campaignId: string;
  /** The refused events, whole. */
  readonly events: readonly RecipientEvent[];
  /** The refused status, if one was in the batch. */
  readonly status: CampaignStatus | undefined;
  /** Why: the server's answer and message, or the attempts given up. */
  readonly reason: string;
  /** The HTTP status of the refusal, if there was an answer. */
  readonly httpStatus: number | undefined;
}

/** The server asked, in an acknowledgement, that a campaign be paused, resumed or cancelled. */
export interface ControlEvent {
  readonly campaignId: string;
  readonly state: Extract<CampaignState, 'running' | 'paused' | 'cancelled'>;
}

/**
 * Something went wrong that the scheduler worked around and you should fix: a listener threw (reported once per
 * listener), `createBatchId` returned an id in use or out of form, `random` returned a number outside [0, 1), `requestGate` threw, a durable store failed (a batch it could not seal
 * waits and is sealed again before it goes), the `logger` threw (reported once).
 * It is logged at `error` when a `logger` is given; without a logger or an `error` listener it is reported
 * through `process.emitWarning`.
 */
export interface ErrorEvent {
  /** Where it came from. */
  readonly source: 'listener' | 'createBatchId' | 'random' | 'requestGate' | 'store' | 'logger';
  /** The listener's event, for `source: 'listener'`. */
  readonly event: string | undefined;
  readonly error: unknown;
}

/** Every event of a scheduler and its payload. */
export interface SchedulerEvents {
  /** A request starts. */
  request: RequestEvent;
  /** A request ended, with or without an answer. */
  response: ResponseEvent;
  /** A batch will be tried again. */
  retry: RetryEvent;
  /** The circuit breaker changed state. */
  breaker: BreakerEvent;
  /** Backpressure started or ended. */
  backpressure: BackpressureEvent;
  /** The server refused updates for good. */
  deadletter: DeadLetter;
  /** The server sent a campaign control in its answer. */
  control: ControlEvent;
  /** A fault of yours the scheduler worked around (a throwing listener, a repeated batch id). */
  error: ErrorEvent;
}
