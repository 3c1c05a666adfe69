import type { CampaignRecord } from '../campaigns.js';
import { keepAlive, MAX_TIMER_MS } from '../clock.js';
import type { Emitter } from '../common/Emitter.js';
import type { DeadLetter, SchedulerEvents } from '../events.js';
import type { ResolvedOptions } from '../options.js';
import { childBatchId, splitBatch } from '../policy/batch.js';
import { decide } from '../policy/retry.js';
import { nextRequestAt } from '../policy/spacing.js';
import { answerKind, verdictOf } from '../policy/verdict.js';
import type { BreakerState, CircuitBreaker } from '../resilience/breaker.js';
import type { ServerHealth } from '../resilience/health.js';
import type { Batch, CampaignUpdate, RecipientEvent, TransportResult } from '../types.js';
import type { Outbox } from './Outbox.js';
import type { Unacknowledged, UnacknowledgedBatches } from './UnacknowledgedBatches.js';

export interface DispatcherParts {
  readonly options: ResolvedOptions;
  readonly batches: UnacknowledgedBatches;
  readonly outbox: Outbox;
  /** Until when the server asked for quiet, as the store kept it from before a restart. */
  readonly quietUntil: number | undefined;
  readonly emitter: Emitter<SchedulerEvents>;
  readonly breaker: CircuitBreaker;
  readonly health: ServerHealth;
  /** A number in [0, 1) for the jitter, checked. */
  readonly jitter: () => number;
  readonly campaign: (campaignId: string) => CampaignRecord | undefined;
  /** A campaign's part of a batch was acknowledged (`acknowledged`) or dead-lettered. */
  readonly onSettled: (record: CampaignRecord, update: CampaignUpdate, acknowledged: boolean) => void;
  /** A request ended: there may be room for the next. */
  readonly onIdle: () => void;
  /** The request gate threw: reported, and the batch asks again later. */
  readonly onGateError: (error: unknown) => void;
}

/** Counters a dispatcher keeps; part of `stats()`. */
export interface DeliveryCounters {
  /** Requests started, retries included. */
  requests: number;
  /** Requests ended, with or without an answer. */
  responses: number;
  /** Requests that were retries of a batch. */
  retries: number;
  /** Requests that failed (network, timeout, 408, 409, 425, 429, 5xx, an answer that acknowledged nothing). */
  failures: number;
  /** Of those, answers that looked like success but acknowledged nothing (a login page, a redirect). */
  invalidAnswers: number;
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
 * The effects of delivery: starts requests (when policy/spacing says one may), reads their answers, and carries
 * out what policy/retry decides: an acknowledgement, a retry under the same id, a split, or a dead letter.
 */
export class Dispatcher {
  readonly #p: DispatcherParts;
  readonly counters: DeliveryCounters = {
    requests: 0,
    responses: 0,
    retries: 0,
    failures: 0,
    invalidAnswers: 0,
    eventsDelivered: 0,
    statusesDelivered: 0,
    deadLettered: 0,
    deadLetteredStatuses: 0,
  };
  #inFlight = 0;
  #lastStart = Number.NEGATIVE_INFINITY;
  #retryAfterUntil = Number.NEGATIVE_INFINITY;
  #stopped = false;
  // A request waiting for the gate: no other may start before it, so the spacing holds between real starts.
  #gating = false;
  readonly #active = new Set<AbortController>();

  constructor(parts: DispatcherParts) {
    this.#p = parts;
    if (parts.quietUntil !== undefined) this.#retryAfterUntil = parts.quietUntil;
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

  /** The earliest a request may start (see policy/spacing); +∞ while at `maxConcurrent`. */
  nextRequestAt(now: number): number {
    if (this.#gating) return Number.POSITIVE_INFINITY;
    const state = {
      inFlight: this.#inFlight,
      lastStartAt: this.#lastStart,
      retryAfterUntil: this.#retryAfterUntil,
      breakerAt: this.#p.breaker.nextRequestAt(now),
    };
    return nextRequestAt(state, now, this.#p.options);
  }

  /** Starts the request of `entry` now, or as soon as the request gate lets it (holding its slot meanwhile). */
  send(entry: Unacknowledged, now: number): void {
    const { requestGate, clock, minIntervalMs } = this.#p.options;
    if (requestGate === undefined) {
      this.#start(entry, now);
      return;
    }
    entry.inFlight = true;
    this.#inFlight++;
    this.#gating = true;
    const controller = new AbortController();
    this.#active.add(controller);
    const { batch } = entry;
    const request = {
      batchId: batch.batchId,
      attempt: entry.attempt + 1,
      campaigns: batch.campaigns.length,
      events: eventsIn(batch),
    };
    const release = () => {
      this.#active.delete(controller);
      entry.inFlight = false;
      this.#inFlight--;
      this.#gating = false;
      return !this.#stopped;
    };
    Promise.resolve()
      .then(() => requestGate(request, { signal: controller.signal }))
      .then(
        () => {
          if (!release()) return;
          this.#start(entry, clock.now());
          this.#p.onIdle();
        },
        (error: unknown) => {
          if (!release()) return;
          entry.notBefore = clock.now() + minIntervalMs;
          this.#p.onGateError(error);
          this.#p.onIdle();
        },
      );
  }

  #start(entry: Unacknowledged, now: number): void {
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
    const kind = answerKind(result, error);
    if (kind.failure) this.counters.failures++;
    health.onAnswer(now - startedAt, kind.health);
    if (kind.health === 'none') breaker.onNothingSent(wasProbe);
    else {
      const transition = kind.failure ? breaker.onFailure(now, wasProbe) : breaker.onSuccess(now, wasProbe);
      if (transition !== undefined) {
        emitter.emit('breaker', {
          state: transition,
          cooldownMs: transition === 'open' ? breaker.cooldownMs : undefined,
        });
      }
    }
    const retryAfterMs =
      result?.retryAfterMs === undefined ? undefined : Math.min(result.retryAfterMs, options.maxRetryAfterMs);
    if (retryAfterMs !== undefined && now + retryAfterMs > this.#retryAfterUntil) {
      this.#retryAfterUntil = now + retryAfterMs;
      this.#p.outbox.quiet(this.#retryAfterUntil);
    }
    if (emitter.has('response')) {
      emitter.emit('response', {
        batch: entry.batch,
        attempt: entry.attempt,
        status: result?.status,
        error: result === undefined ? describe(error) : result.notAcknowledged,
        latencyMs: now - startedAt,
        retryAfterMs,
      });
    }

    const verdict = verdictOf(result, error);
    if (verdict.kind === 'invalid') {
      entry.invalidAnswers++;
      this.counters.invalidAnswers++;
    }
    const attempts = {
      attempt: entry.attempt,
      invalidAnswers: entry.invalidAnswers,
      campaigns: entry.batch.campaigns.length,
    };
    const decision = decide(verdict, attempts, options, verdict.kind === 'acknowledged' ? 0 : this.#p.jitter());
    switch (decision.kind) {
      case 'acknowledge':
        this.#acknowledge(entry, result as TransportResult);
        break;
      case 'retry':
        entry.notBefore = now + decision.delayMs;
        this.#p.outbox.reschedule(entry);
        emitter.emit('retry', {
          batch: entry.batch,
          attempt: entry.attempt,
          delayMs: decision.delayMs,
          reason: decision.reason,
        });
        break;
      case 'split':
        this.#split(entry, now, decision.reason, result?.status);
        break;
      case 'deadletter':
        this.#deadLetter(entry, entry.batch.campaigns, decision.reason, result?.status);
        break;
      case 'unencodable':
        this.#dropUnencodable(entry, now, decision.campaignIds, decision.reason);
        break;
    }
    this.#p.onIdle();
  }

  #acknowledge(entry: Unacknowledged, result: TransportResult): void {
    const { batches, emitter, outbox } = this.#p;
    batches.remove(entry);
    outbox.settle(entry);
    for (const update of entry.batch.campaigns) {
      this.counters.eventsDelivered += update.events.length;
      if (update.status !== undefined) this.counters.statusesDelivered++;
      this.#settle(update, true);
    }
    for (const control of result.control ?? []) emitter.emit('control', control);
  }

  #split(entry: Unacknowledged, now: number, reason: string, httpStatus: number | undefined): void {
    const halves = splitBatch(entry.batch);
    if (halves === undefined) {
      this.#deadLetter(entry, entry.batch.campaigns, reason, httpStatus);
      return;
    }
    const parts = halves.map((batch) => newEntry(batch, now));
    this.#p.batches.replace(entry, parts);
    this.#p.outbox.replace(entry, parts);
  }

  /**
   * Nothing of the batch was sent. What cannot be encoded (each event and status tried alone) is dead-lettered;
   * the rest goes on in a batch of its own, so one campaign's bad value does not hold up the others.
   */
  #dropUnencodable(entry: Unacknowledged, now: number, campaignIds: readonly string[], reason: string): void {
    const named = new Set(campaignIds);
    const kept: CampaignUpdate[] = [];
    const refused: CampaignUpdate[] = [];
    for (const update of entry.batch.campaigns) {
      if (!named.has(update.campaignId)) {
        kept.push(update);
        continue;
      }
      const bad = update.events.filter((event) => !encodes(event));
      const badStatus = update.status !== undefined && !encodes(update.status);
      if (bad.length === 0 && !badStatus) {
        // The transport could not encode it, though each part can be: none of it can go.
        refused.push(update);
        continue;
      }
      const good = bad.length === 0 ? update.events : update.events.filter((event) => !bad.includes(event));
      const epoch = update.ownerEpoch === undefined ? {} : { ownerEpoch: update.ownerEpoch };
      refused.push({ campaignId: update.campaignId, events: bad, ...(badStatus ? { status: update.status } : {}) });
      if (good.length > 0 || (update.status !== undefined && !badStatus)) {
        kept.push({
          campaignId: update.campaignId,
          events: good,
          ...(badStatus ? {} : { status: update.status }),
          ...epoch,
        });
      }
    }
    const { batches } = this.#p;
    if (kept.length === 0 || refused.length === 0) {
      this.#deadLetter(entry, entry.batch.campaigns, reason, undefined);
      return;
    }
    const rest = newEntry({ ...entry.batch, batchId: childBatchId(entry.batch.batchId, 1), campaigns: kept }, now);
    batches.replace(entry, [rest]);
    this.#p.outbox.replace(entry, [rest], lettersOf(entry.batch.batchId, refused, reason, undefined));
    this.#reportDead(entry.batch.batchId, refused, reason, undefined);
  }

  #deadLetter(
    entry: Unacknowledged,
    updates: readonly CampaignUpdate[],
    reason: string,
    httpStatus: number | undefined,
  ): void {
    this.#p.batches.remove(entry);
    this.#p.outbox.settle(entry, lettersOf(entry.batch.batchId, updates, reason, httpStatus));
    this.#reportDead(entry.batch.batchId, updates, reason, httpStatus);
  }

  #reportDead(batchId: string, updates: readonly CampaignUpdate[], reason: string, httpStatus: number | undefined) {
    for (const letter of lettersOf(batchId, updates, reason, httpStatus)) {
      this.counters.deadLettered += letter.events.length;
      if (letter.status !== undefined) this.counters.deadLetteredStatuses++;
      this.#p.emitter.emit('deadletter', letter);
    }
    for (const update of updates) this.#settle(update, false);
  }

  #settle(update: CampaignUpdate, acknowledged: boolean): void {
    const record = this.#p.campaign(update.campaignId);
    if (record !== undefined) this.#p.onSettled(record, update, acknowledged);
  }
}

/** A request that got no answer in time (the reason of its `retry` event), or one aborted by `close()`. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** A batch not yet sent. */
export function newEntry(batch: Batch, now: number): Unacknowledged {
  return { batch, attempt: 0, invalidAnswers: 0, notBefore: now, inFlight: false, sealed: false };
}

function lettersOf(
  batchId: string,
  updates: readonly CampaignUpdate[],
  reason: string,
  httpStatus: number | undefined,
): DeadLetter[] {
  return updates.map((update) => ({
    batchId,
    campaignId: update.campaignId,
    events: update.events,
    status: update.status,
    reason,
    httpStatus,
  }));
}

function eventsIn(batch: Batch): number {
  return batch.campaigns.reduce((count, update) => count + update.events.length, 0);
}

function encodes(value: RecipientEvent | CampaignUpdate['status']): boolean {
  try {
    return typeof JSON.stringify(value) === 'string';
  } catch {
    return false;
  }
}

/** A transport must resolve `{ status }` with an HTTP status; anything else is treated as a failed request. */
function checkResult(
  result: TransportResult | undefined,
  error: unknown,
): { result?: TransportResult; error?: unknown } {
  if (result === undefined) return { error };
  const problem = resultProblem(result);
  if (problem === undefined) return { result };
  let shown: string;
  try {
    shown = JSON.stringify(result);
  } catch {
    shown = String(result);
  }
  return { error: new TypeError(`transport resolved ${shown}: ${problem}`) };
}

const CONTROL_STATES = new Set(['running', 'paused', 'cancelled']);

/** What is wrong with what a transport resolved, if anything: a bad field must not stall or crash delivery. */
function resultProblem(result: TransportResult): string | undefined {
  const { status, retryAfterMs, control, notAcknowledged } = (result ?? {}) as unknown as Partial<
    Record<string, unknown>
  >;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return 'expected `status` to be an HTTP status 100..599';
  }
  if (retryAfterMs !== undefined && (typeof retryAfterMs !== 'number' || !(retryAfterMs >= 0))) {
    return 'expected `retryAfterMs` to be a number of milliseconds >= 0';
  }
  if (
    control !== undefined &&
    (!Array.isArray(control) ||
      !control.every(
        (item) => typeof item?.campaignId === 'string' && item.campaignId !== '' && CONTROL_STATES.has(item?.state),
      ))
  ) {
    return 'expected `control` to be an array of { campaignId, state: running|paused|cancelled }';
  }
  if (notAcknowledged !== undefined && typeof notAcknowledged !== 'string') {
    return 'expected `notAcknowledged` to be a string';
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
