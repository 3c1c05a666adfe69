import { baseInterval, type CampaignRecord, isSettled, newCampaignRecord, statusMayGo, viewOf } from './campaigns.js';
import { keepAlive, MAX_TIMER_MS } from './clock.js';
import { checkNumber } from './common/check.js';
import { Emitter } from './common/Emitter.js';
import { Admission } from './delivery/Admission.js';
import { Dispatcher } from './delivery/Dispatcher.js';
import { type Unacknowledged, UnacknowledgedBatches } from './delivery/UnacknowledgedBatches.js';
import { SchedulerClosedError } from './errors/SchedulerClosedError.js';
import { UnknownCampaignError } from './errors/UnknownCampaignError.js';
import type { SchedulerEvents } from './events.js';
import { type ResolvedOptions, resolveOptions, type SchedulerOptions } from './options.js';
import { planParts } from './policy/batch.js';
import { type CampaignView, dueAt, nextDueAt, selectCampaigns } from './policy/due.js';
import type { CloseReport, SchedulerStats } from './report.js';
import { CircuitBreaker } from './resilience/breaker.js';
import { ServerHealth } from './resilience/health.js';
import { MemoryStore } from './store/MemoryStore.js';
import type { PendingStore } from './store/PendingStore.js';
import type { CampaignUpdate, RecipientEvent, StatusUpdate, TransportShape } from './types.js';
import {
  type CampaignRegistration,
  checkCampaignId,
  checkEvent,
  checkRegistration,
  checkStatus,
  isTerminal,
} from './validate.js';

/** A pending `flush()`: per campaign, the events count and the status seq it waits to see settled. */
interface FlushWaiter {
  readonly targets: ReadonlyArray<{ readonly record: CampaignRecord; readonly events: number; readonly seq: number }>;
  readonly resolve: () => void;
}

/**
 * Collects a worker's recipient events and campaign statuses and delivers them to the main server in few,
 * well-spaced, batched requests: adaptive per-campaign intervals, at least `minIntervalMs` between requests,
 * exactly-once delivery through stable batch ids, backoff, a circuit breaker and backpressure.
 *
 * @example
 * ```ts
 * const scheduler = new ServerUpdateScheduler({
 *   transport: createHttpTransport({ baseUrl: 'https://main.example.com', shape: 'bulk' }),
 * });
 * scheduler.registerCampaign('c1', { emailsPerMinute: 40, total: 500 });
 * await scheduler.record('c1', { recipientId: 'r1', outcome: 'sent', at: new Date().toISOString() });
 * scheduler.setStatus('c1', { state: 'completed', sent: 1, failed: 0, total: 1 });
 * await scheduler.close({ timeoutMs: 30_000 });
 * ```
 */
export class ServerUpdateScheduler {
  readonly #options: ResolvedOptions;
  readonly #shape: TransportShape;
  readonly #store: PendingStore;
  readonly #campaigns = new Map<string, CampaignRecord>();
  readonly #batches = new UnacknowledgedBatches();
  readonly #admission: Admission;
  readonly #emitter = new Emitter<SchedulerEvents>();
  readonly #dispatcher: Dispatcher;
  readonly #flushWaiters = new Set<FlushWaiter>();
  #timer: unknown;
  #timerAt = Number.POSITIVE_INFINITY;
  #closing: Promise<CloseReport> | undefined;
  readonly #now = (): number => this.#options.clock.now();

  /**
   * @throws TypeError or RangeError naming the option that is missing or wrong.
   */
  constructor(options: SchedulerOptions) {
    this.#options = resolveOptions(options);
    this.#shape = this.#options.transport.shape ?? 'bulk';
    this.#store = this.#options.store ?? new MemoryStore();
    const o = this.#options;
    // When callers start to wait for room, every pending campaign becomes due: room is made at the next slot.
    this.#admission = new Admission(o.maxPendingEvents, this.#emitter, () => this.#pump());
    this.#dispatcher = new Dispatcher({
      options: o,
      batches: this.#batches,
      emitter: this.#emitter,
      breaker: new CircuitBreaker({
        threshold: o.breakerThreshold,
        failureRatio: o.breakerFailureRatio,
        window: o.breakerWindow,
        minSamples: o.breakerMinSamples,
        cooldownMs: o.breakerCooldownMs,
        maxCooldownMs: o.maxBreakerCooldownMs,
      }),
      health: new ServerHealth(o),
      campaign: (campaignId) => this.#campaigns.get(campaignId),
      onSettled: (record, update) => this.#onSettled(record, update.events.length, update.status?.seq),
      onIdle: () => this.#pump(),
    });
  }

  /**
   * Registers a campaign (or updates its rate and size). Its interval comes from `emailsPerMinute` by the
   * adaptive table; without it, from the rate its events show.
   *
   * @example
   * ```ts
   * scheduler.registerCampaign('c1', { emailsPerMinute: 40, total: 1200 }); // reports every 90 s
   * ```
   * @throws TypeError or RangeError naming the field that is wrong; SchedulerClosedError after `close()`.
   */
  registerCampaign(campaignId: string, registration: CampaignRegistration = {}): void {
    this.#checkOpen();
    checkCampaignId(campaignId);
    checkRegistration(registration);
    let record = this.#campaigns.get(campaignId);
    if (record === undefined) {
      record = newCampaignRecord(campaignId);
      this.#campaigns.set(campaignId, record);
    }
    if (registration.emailsPerMinute !== undefined) record.emailsPerMinute = registration.emailsPerMinute;
    if (registration.total !== undefined) record.total = registration.total;
    // A faster rate may make what is pending due sooner.
    this.#wakeFor(record, this.#now());
  }

  /**
   * Records one recipient's outcome. Returns nothing, or, while pending events are at `maxPendingEvents`, a
   * promise that settles once the event has been let in: await it, so the worker slows down instead of the
   * scheduler dropping anything or growing without bound. Do not change the event afterwards.
   *
   * @example
   * ```ts
   * await scheduler.record('c1', { recipientId: 'r1', outcome: 'sent', at: new Date().toISOString() });
   * ```
   * @throws TypeError naming the field of a bad event; UnknownCampaignError; SchedulerClosedError after `close()`.
   */
  record(campaignId: string, event: RecipientEvent): void | Promise<void> {
    this.#checkOpen();
    const record = this.#campaigns.get(campaignId);
    if (record === undefined) throw new UnknownCampaignError(String(campaignId));
    checkEvent(event);
    // The clock is read only when needed: it costs more than all the rest of record().
    if (record.eventsRecorded++ === 0) record.firstRecordedAt = this.#now();
    const held = this.#held();
    if (this.#admission.mustWait(held)) {
      return this.#admission.wait(campaignId, event, () => this.#admit(record, event), held);
    }
    this.#admit(record, event);
  }

  /**
   * Sets a campaign's status. Only the newest unsent status is sent; `seq` defaults to the previous plus 1 and
   * must rise, `updatedAt` defaults to now. A terminal state (completed, failed, cancelled) is delivered promptly.
   *
   * @example
   * ```ts
   * scheduler.setStatus('c1', { state: 'running', sent: 120, failed: 3, total: 1200 });
   * ```
   * @throws TypeError or RangeError naming the field; UnknownCampaignError; SchedulerClosedError after `close()`.
   */
  setStatus(campaignId: string, status: StatusUpdate): void {
    this.#checkOpen();
    const record = this.#campaigns.get(campaignId);
    if (record === undefined) throw new UnknownCampaignError(String(campaignId));
    checkStatus(status);
    const seq = status.seq ?? record.lastSeq + 1;
    if (seq <= record.lastSeq) {
      throw new RangeError(`Expected \`status.seq\` to rise above ${record.lastSeq}, got \`${seq}\` (number)`);
    }
    const now = this.#options.clock.now();
    const updatedAt = status.updatedAt ?? new Date(now).toISOString();
    this.#store.putStatus(campaignId, { ...status, seq, updatedAt }, now);
    record.lastSeq = seq;
    record.statusAfterEvents = record.eventsRecorded;
    record.terminalPending = isTerminal(status.state);
    this.#wakeFor(record, now);
  }

  /**
   * Resolves once everything recorded before the call (for one campaign, or all) has been acknowledged by the
   * server or dead-lettered. What it waits for is due at once, still spaced. Keeps the process alive meanwhile.
   *
   * @example
   * ```ts
   * scheduler.setStatus('c1', { state: 'completed', sent, failed, total });
   * await scheduler.flush('c1'); // the campaign's last updates have reached the server
   * ```
   * @throws UnknownCampaignError (as a rejection) for a campaign never registered.
   */
  flush(campaignId?: string): Promise<void> {
    let records: CampaignRecord[];
    if (campaignId === undefined) records = [...this.#campaigns.values()];
    else {
      const record = this.#campaigns.get(campaignId);
      if (record === undefined) return Promise.reject(new UnknownCampaignError(String(campaignId)));
      records = [record];
    }
    const targets = records
      .filter((record) => !isSettled(record))
      .map((record) => ({ record, events: record.eventsRecorded, seq: record.lastSeq }));
    if (targets.length === 0 || this.#dispatcher.stopped) return Promise.resolve();
    for (const { record, events, seq } of targets) {
      record.flushEvents = Math.max(record.flushEvents, events);
      record.flushSeq = Math.max(record.flushSeq, seq);
    }
    return new Promise<void>((resolve) => {
      this.#flushWaiters.add({ targets, resolve });
      keepAlive(this.#timer, true);
      this.#pump();
    });
  }

  /**
   * Stops taking updates and delivers what it can until `timeoutMs` (default `closeTimeoutMs`, at most about
   * 24.8 days) has passed.
   * Never rejects: resolves with a report of what was delivered and of what is left (with the batch ids of
   * requests whose fate is unknown, so they can be sent again later without being applied twice).
   *
   * @example
   * ```ts
   * const report = await scheduler.close({ timeoutMs: 20_000 });
   * if (!report.complete) await writeFile('undelivered.json', JSON.stringify(report));
   * ```
   * @throws TypeError or RangeError for a `timeoutMs` that is not a number >= 0.
   */
  close({ timeoutMs = this.#options.closeTimeoutMs }: { timeoutMs?: number } = {}): Promise<CloseReport> {
    checkNumber('timeoutMs', timeoutMs, { min: 0, infinite: true });
    this.#closing ??= this.#close(Math.min(timeoutMs, MAX_TIMER_MS));
    return this.#closing;
  }

  /**
   * Listens to an event; returns a function that removes the listener.
   *
   * @example
   * ```ts
   * const off = scheduler.on('deadletter', (letter) => saveForLater(letter));
   * ```
   */
  on<K extends keyof SchedulerEvents>(name: K, listener: (payload: SchedulerEvents[K]) => void): () => void {
    return this.#emitter.on(name, listener);
  }

  /**
   * Counters and state, for logs and dashboards.
   *
   * @example
   * ```ts
   * setInterval(() => log.info(scheduler.stats()), 60_000).unref();
   * ```
   */
  stats(): SchedulerStats {
    const d = this.#dispatcher.counters;
    return {
      ...d,
      pendingEvents: this.#store.size + this.#admission.waiting,
      waitingEvents: this.#admission.waiting,
      unacknowledgedEvents: this.#batches.events,
      unacknowledgedBatches: this.#batches.size,
      inFlight: this.#dispatcher.inFlight,
      breaker: this.#dispatcher.breakerState(),
      stretch: this.#dispatcher.stretch,
      latencyMs: this.#dispatcher.latencyMs,
      backpressure: this.#admission.waiting > 0,
      campaigns: this.#campaigns.size,
    };
  }

  #checkOpen(): void {
    if (this.#closing !== undefined) throw new SchedulerClosedError();
  }

  /** Events held in memory: waiting for a batch, or in one not yet acknowledged. */
  #held(): number {
    return this.#store.size + this.#batches.events;
  }

  #admit(record: CampaignRecord, event: RecipientEvent): void {
    const pending = this.#store.appendEvent(record.campaignId, event, this.#now);
    // Only these can make the campaign due sooner: its first pending event, a full batch, a flush under way,
    // and (every 16 events) a measured rate that has climbed into a faster class.
    if (
      pending === 1 ||
      pending === this.#options.maxBatchEvents ||
      record.eventsTaken < record.flushEvents ||
      (record.emailsPerMinute === undefined && (pending & 15) === 0)
    ) {
      this.#wakeFor(record, this.#now());
    }
  }

  /** O(1): wakes the scheduler sooner if this campaign just became due earlier than the next wake-up. */
  #wakeFor(record: CampaignRecord, now: number): void {
    if (this.#batches.blocks(record.campaignId)) return;
    const interval = baseInterval(record, now, this.#options.intervalTable) * this.#dispatcher.stretch;
    const view = viewOf(record, this.#store, false, interval, this.#admission.waiting > 0);
    const due = dueAt(view, this.#options.maxBatchEvents);
    if (due < this.#timerAt) this.#arm(Math.max(due, now), now);
  }

  #views(now: number): CampaignView[] {
    const views: CampaignView[] = [];
    const { intervalTable } = this.#options;
    const pressed = this.#admission.waiting > 0;
    for (const record of this.#campaigns.values()) {
      if (this.#store.oldestPendingAt(record.campaignId) === undefined) continue;
      const interval = baseInterval(record, now, intervalTable) * this.#dispatcher.stretch;
      views.push(viewOf(record, this.#store, this.#batches.blocks(record.campaignId), interval, pressed));
    }
    return views;
  }

  /** Sends what may go now, and sets the one timer for the next time something may. */
  #pump(): void {
    if (this.#dispatcher.stopped) return;
    const { clock, maxBatchEvents } = this.#options;
    for (;;) {
      const now = clock.now();
      const views = this.#views(now);
      const wantAt = Math.min(this.#batches.nextReadyAt(), nextDueAt(views, maxBatchEvents));
      const sendAt =
        wantAt === Number.POSITIVE_INFINITY ? wantAt : Math.max(wantAt, this.#dispatcher.nextRequestAt(now));
      const entry = sendAt <= now ? (this.#batches.nextReady(now) ?? this.#newBatch(views, now)) : undefined;
      if (entry === undefined) {
        // Nothing could go now after all: wake for the next retry, if any.
        const next = sendAt > now ? sendAt : Math.max(this.#batches.nextReadyAt(), now + 1);
        if (next === Number.POSITIVE_INFINITY) this.#disarm();
        else this.#arm(next, now);
        return;
      }
      this.#dispatcher.send(entry, now);
    }
  }

  #newBatch(views: CampaignView[], now: number): Unacknowledged | undefined {
    const o = this.#options;
    const selected = selectCampaigns(views, now, { ...o, shape: this.#shape });
    if (selected.length === 0) return undefined;
    const recordOf = (id: string) => this.#campaigns.get(id) as CampaignRecord;
    const parts = planParts(selected, this.#shape, o.maxBatchEvents, {
      owed: (id) => recordOf(id).statusOwed,
      mayGo: (id, events) => statusMayGo(recordOf(id), recordOf(id).eventsTaken + events),
    });
    const campaigns: CampaignUpdate[] = [];
    for (const part of parts) {
      const record = recordOf(part.campaignId);
      const view = selected.find((v) => v.campaignId === part.campaignId) as CampaignView;
      const { events, status } = this.#store.take(part.campaignId, part.maxEvents, part.withStatus);
      if (events.length === 0 && status === undefined) continue;
      record.eventsTaken += events.length;
      if (status !== undefined) {
        record.terminalPending = false;
        record.statusOwed = false;
        campaigns.push({ campaignId: part.campaignId, events, status });
        continue;
      }
      if (this.#shape === 'legacy' && this.#store.pendingStatus(part.campaignId) !== undefined) {
        // The status follows its events when the campaign went because it was due, not only because it was full.
        record.statusOwed = view.urgent || (view.oldestAt as number) + view.intervalMs <= now;
      }
      campaigns.push({ campaignId: part.campaignId, events });
    }
    if (campaigns.length === 0) return undefined;
    const entry: Unacknowledged = {
      batch: { batchId: o.createBatchId(), workerId: o.workerId, campaigns },
      attempt: 0,
      notBefore: now,
      inFlight: false,
    };
    this.#batches.add(entry);
    return entry;
  }

  #onSettled(record: CampaignRecord, events: number, seq: number | undefined): void {
    record.eventsSettled += events;
    if (seq !== undefined) record.settledSeq = Math.max(record.settledSeq, seq);
    this.#admission.release(this.#held());
    for (const waiter of this.#flushWaiters) {
      if (waiter.targets.every((t) => t.record.eventsSettled >= t.events && t.record.settledSeq >= t.seq)) {
        this.#flushWaiters.delete(waiter);
        waiter.resolve();
      }
    }
    if (this.#flushWaiters.size === 0) keepAlive(this.#timer, false);
  }

  #arm(at: number, now: number): void {
    if (this.#timer !== undefined && at === this.#timerAt) return;
    this.#disarm();
    this.#timerAt = at;
    this.#timer = this.#options.clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#pump();
      },
      // A longer wait (a far Retry-After) wakes early and re-arms: Node fires longer timers at once.
      Math.min(MAX_TIMER_MS, Math.max(0, at - now)),
    );
    keepAlive(this.#timer, this.#flushWaiters.size > 0);
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  async #close(timeoutMs: number): Promise<CloseReport> {
    const { clock } = this.#options;
    let deadline: unknown;
    const timedOut = new Promise<false>((resolve) => {
      if (timeoutMs === Number.POSITIVE_INFINITY) return;
      deadline = clock.setTimeout(() => resolve(false), timeoutMs);
      keepAlive(deadline, true);
    });
    const delivered = this.flush().then(() => true as const);
    const complete = await Promise.race([delivered, timedOut]);
    if (deadline !== undefined) clock.clearTimeout(deadline);
    this.#disarm();
    this.#dispatcher.stop();
    const report = this.#report(complete);
    // Whoever still awaits a flush gets an answer: nothing more will be delivered.
    for (const waiter of this.#flushWaiters) waiter.resolve();
    this.#flushWaiters.clear();
    return report;
  }

  #report(complete: boolean): CloseReport {
    const stats = this.stats();
    const unsent: CampaignUpdate[] = [];
    for (const record of this.#campaigns.values()) {
      const { events, status } = this.#store.take(record.campaignId, Number.POSITIVE_INFINITY, true);
      const waiting = this.#admission.takeFor(record.campaignId);
      const all = waiting.length > 0 ? [...events, ...(waiting as RecipientEvent[])] : events;
      if (all.length > 0 || status !== undefined) {
        unsent.push(
          status === undefined
            ? { campaignId: record.campaignId, events: all }
            : { campaignId: record.campaignId, events: all, status },
        );
      }
    }
    const unacknowledged = [...this.#batches].map((entry) => entry.batch);
    const count = (updates: readonly CampaignUpdate[]) => updates.reduce((n, u) => n + u.events.length, 0);
    return {
      complete,
      eventsDelivered: stats.eventsDelivered,
      deadLettered: stats.deadLettered,
      eventsLeft: count(unsent) + unacknowledged.reduce((n, b) => n + count(b.campaigns), 0),
      statusesLeft:
        unsent.filter((u) => u.status).length +
        unacknowledged.reduce((n, b) => n + b.campaigns.filter((u) => u.status).length, 0),
      unsent,
      unacknowledged,
      stats,
    };
  }
}
