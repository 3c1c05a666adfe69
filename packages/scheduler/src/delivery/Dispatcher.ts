import type { CampaignRecord } from '../campaigns.js';
import { keepAlive, MAX_TIMER_MS } from '../clock.js';
import type { Emitter } from '../common/Emitter.js';
import type { SchedulerEvents } from '../events.js';
import type { ResolvedOptions } from '../options.js';
import { splitBatch } from '../policy/batch.js';
import { backoffDelay } from '../resilience/backoff.js';
import type { BreakerState, CircuitBreaker } from '../resilience/breaker.js';
import type { ServerHealth } from '../resilience/health.js';
import type { Batch, CampaignUpdate, TransportResult } from '../types.js';
import type { Unacknowledged, UnacknowledgedBatches } from './UnacknowledgedBatches.js';
import { answerKind, verdictOf } from './verdict.js';

export interface DispatcherParts {
  readonly options: ResolvedOptions;
  readonly batches: UnacknowledgedBatches;
  readonly emitter: Emitter<SchedulerEvents>;
  readonly breaker: CircuitBreaker;
  readonly health: ServerHealth;
  readonly campaign: (campaignId: string) => CampaignRecord | undefined;
  /** A campaign's part of a batch was acknowledged or dead-lettered. */
  readonly onSettled: (record: CampaignRecord, update: CampaignUpdate) => void;
  /** A request ended: there may be room for the next. */
  readonly onIdle: () => void;
}

/** Counters a dispatcher keeps; part of `stats()`. */
export interface DeliveryCounters {
  /** Requests started, retries included. */
  requests: number;
  /** Requests ended, with or without an answer. */
  responses: number;
  /** Requests that were retries of a batch. */
  retries: number;
  /** Requests that failed (network, timeout, 408, 425, 429, 5xx). */
  failures: number;
  /** Events acknowledged by the server. */
  eventsDelivered: number;
  /** Statuses acknowledged by the server. */
  statusesDelivered: number;
  /** Events refused for good. */
  deadLettered: number;
  /** Statuses refused for good. */
  deadLetteredStatuses: number;
}

/**
 * The effects of delivery: starts requests (spacing, concurrency, breaker, Retry-After), reads their answers,
 * and turns each into an acknowledgement, a retry with backoff, a split, or a dead letter.
 */
export class Dispatcher {
  readonly #p: DispatcherParts;
  readonly counters: DeliveryCounters = {
    requests: 0,
    responses: 0,
    retries: 0,
    failures: 0,
    eventsDelivered: 0,
    statusesDelivered: 0,
    deadLettered: 0,
    deadLetteredStatuses: 0,
  };
  #inFlight = 0;
  #lastStart = Number.NEGATIVE_INFINITY;
  #retryAfterUntil = Number.NEGATIVE_INFINITY;
  #stopped = false;
  readonly #active = new Set<AbortController>();

  constructor(parts: DispatcherParts) {
    this.#p = parts;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  get stretch(): number {
    return this.#p.health.stretch;
  }

  get latencyMs(): number | undefined {
    return this.#p.health.latencyMs;
  }

  breakerState(): BreakerState {
    return this.#p.breaker.state(this.#p.options.clock.now());
  }

  /** The earliest a request may start: spacing (stretched), Retry-After, breaker; +∞ while at `maxConcurrent`. */
  nextRequestAt(now: number): number {
    const { minIntervalMs, maxConcurrent } = this.#p.options;
    if (this.#inFlight >= maxConcurrent) return Number.POSITIVE_INFINITY;
    const spaced = this.#lastStart + minIntervalMs * this.#p.health.stretch;
    return Math.max(now, spaced, this.#retryAfterUntil, this.#p.breaker.nextRequestAt(now));
  }

  /** Starts the request of `entry` now. */
  send(entry: Unacknowledged, now: number): void {
    const { transport, clock, requestTimeoutMs } = this.#p.options;
    const { breaker, emitter } = this.#p;
    const wasProbe = breaker.state(now) === 'half-open';
    if (wasProbe) emitter.emit('breaker', { state: 'half-open', cooldownMs: undefined });
    breaker.onRequest(now);
    entry.inFlight = true;
    entry.attempt++;
    this.#inFlight++;
    this.#lastStart = now;
    this.counters.requests++;
    if (entry.attempt > 1) this.counters.retries++;
    const { batch } = entry;
    if (emitter.has('request'))
      emitter.emit('request', { batch, attempt: entry.attempt, events: eventsIn(batch), at: now });

    const controller = new AbortController();
    this.#active.add(controller);
    const timeout = clock.setTimeout(
      () => controller.abort(new TimeoutError(`no answer within ${requestTimeoutMs} ms`)),
      Math.min(requestTimeoutMs, MAX_TIMER_MS),
    );
    // The request itself holds the process while it runs; its timeout alone must not.
    keepAlive(timeout, false);
    const settle = (result: TransportResult | undefined, error: unknown) => {
      clock.clearTimeout(timeout);
      this.#active.delete(controller);
      if (this.#stopped) return;
      this.#onAnswer(entry, checkResult(result, error), now, wasProbe);
    };
    // A transport that ignores the signal still loses the race against its own timeout.
    const aborted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
    );
    Promise.race([Promise.resolve().then(() => transport(batch, { signal: controller.signal })), aborted]).then(
      (result) => settle(result, undefined),
      (error: unknown) => settle(undefined, error),
    );
  }

  /** Stops for good: aborts what is in flight and ignores answers still to come. */
  stop(): void {
    this.#stopped = true;
    for (const controller of this.#active) controller.abort(new TimeoutError('the scheduler was closed'));
    this.#active.clear();
  }

  #onAnswer(
    entry: Unacknowledged,
    answer: { result?: TransportResult; error?: unknown },
    startedAt: number,
    wasProbe: boolean,
  ): void {
    const { options, breaker, health, emitter } = this.#p;
    const now = options.clock.now();
    const { result, error } = answer;
    entry.inFlight = false;
    this.#inFlight--;
    this.counters.responses++;
    const kind = answerKind(result);
    if (kind.failure) this.counters.failures++;
    health.onAnswer(now - startedAt, kind.health);
    const transition = kind.failure ? breaker.onFailure(now, wasProbe) : breaker.onSuccess(now, wasProbe);
    if (transition !== undefined) {
      emitter.emit('breaker', {
        state: transition,
        cooldownMs: transition === 'open' ? breaker.cooldownMs : undefined,
      });
    }
    const retryAfterMs = result?.retryAfterMs;
    if (retryAfterMs !== undefined) this.#retryAfterUntil = Math.max(this.#retryAfterUntil, now + retryAfterMs);
    emitter.emit('response', {
      batch: entry.batch,
      attempt: entry.attempt,
      status: result?.status,
      error: result === undefined ? describe(error) : undefined,
      latencyMs: now - startedAt,
      retryAfterMs,
    });

    const verdict = verdictOf(result, error);
    switch (verdict.kind) {
      case 'acknowledged':
        this.#acknowledge(entry, result as TransportResult);
        break;
      case 'retry':
        if (entry.attempt >= options.maxAttempts) {
          this.#deadLetter(entry, `gave up after ${entry.attempt} attempts; last: ${verdict.reason}`, result?.status);
        } else {
          const delay = backoffDelay(entry.attempt, options.backoffBaseMs, options.maxBackoffMs, options.random);
          const delayMs = Math.max(delay, verdict.retryAfterMs ?? 0);
          entry.notBefore = now + delayMs;
          emitter.emit('retry', { batch: entry.batch, attempt: entry.attempt, delayMs, reason: verdict.reason });
        }
        break;
      case 'narrow':
        if (entry.batch.campaigns.length > 1) this.#split(entry, now, verdict.reason, result?.status);
        else this.#deadLetter(entry, verdict.reason, result?.status);
        break;
      case 'split':
        this.#split(entry, now, verdict.reason, result?.status);
        break;
      case 'refused':
        this.#deadLetter(entry, verdict.reason, result?.status);
        break;
    }
    this.#p.onIdle();
  }

  #acknowledge(entry: Unacknowledged, result: TransportResult): void {
    const { batches, emitter } = this.#p;
    batches.remove(entry);
    for (const update of entry.batch.campaigns) {
      this.counters.eventsDelivered += update.events.length;
      if (update.status !== undefined) this.counters.statusesDelivered++;
      this.#settle(update);
    }
    for (const control of result.control ?? []) emitter.emit('control', control);
  }

  #split(entry: Unacknowledged, now: number, reason: string, httpStatus: number | undefined): void {
    const halves = splitBatch(entry.batch, this.#p.options.createBatchId);
    if (halves === undefined) {
      this.#deadLetter(entry, reason, httpStatus);
      return;
    }
    const parts = halves.map((batch) => ({ batch, attempt: 0, notBefore: now, inFlight: false }));
    this.#p.batches.replace(entry, parts);
  }

  #deadLetter(entry: Unacknowledged, reason: string, httpStatus: number | undefined): void {
    const { batches, emitter } = this.#p;
    batches.remove(entry);
    for (const update of entry.batch.campaigns) {
      this.counters.deadLettered += update.events.length;
      if (update.status !== undefined) this.counters.deadLetteredStatuses++;
      emitter.emit('deadletter', {
        batchId: entry.batch.batchId,
        campaignId: update.campaignId,
        events: update.events,
        status: update.status,
        reason,
        httpStatus,
      });
      this.#settle(update);
    }
  }

  #settle(update: CampaignUpdate): void {
    const record = this.#p.campaign(update.campaignId);
    if (record !== undefined) this.#p.onSettled(record, update);
  }
}

/** A request that got no answer in time (the reason of its `retry` event), or one aborted by `close()`. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

function eventsIn(batch: Batch): number {
  return batch.campaigns.reduce((count, update) => count + update.events.length, 0);
}

/** A transport must resolve `{ status }` with an HTTP status; anything else is treated as a failed request. */
function checkResult(
  result: TransportResult | undefined,
  error: unknown,
): { result?: TransportResult; error?: unknown } {
  if (result === undefined) return { error };
  const status = (result as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599) return { result };
  return { error: new TypeError(`transport resolved ${JSON.stringify(result)}; expected { status: 100..599 }`) };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
