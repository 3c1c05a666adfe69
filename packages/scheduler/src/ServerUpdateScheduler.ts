import { type CampaignStats, campaignStatsOf } from './campaignStats.js';
import {
  baseInterval,
  type CampaignRecord,
  eventsBeforeStatus,
  type FlushWaiter,
  isBlocked,
  isSettled,
  newCampaignRecord,
  viewOf,
} from './campaigns.js';
import { keepAlive, MAX_TIMER_MS } from './clock.js';
import { checkNumber } from './common/check.js';
import { Emitter } from './common/Emitter.js';
import { Admission } from './delivery/Admission.js';
import { BatchIds } from './delivery/BatchIds.js';
import { Dispatcher, newEntry } from './delivery/Dispatcher.js';
import { Outbox } from './delivery/Outbox.js';
import { type Unacknowledged, UnacknowledgedBatches } from './delivery/UnacknowledgedBatches.js';
import { SchedulerClosedError } from './errors/SchedulerClosedError.js';
import { UnknownCampaignError } from './errors/UnknownCampaignError.js';
import type { ErrorEvent, SchedulerEvents } from './events.js';
import { type LogLine, safeLogLine } from './observe/Logger.js';
import { Telemetry } from './observe/Telemetry.js';
import { checkRandomValue, type ResolvedOptions, resolveOptions, type SchedulerOptions } from './options.js';
import { planPart } from './policy/batch.js';
import { DueIndex, dueAt } from './policy/DueIndex.js';
import { nextSendAt, nextWakeAt } from './policy/spacing.js';
import { buildCloseReport, type CloseReport, type SchedulerStats } from './report.js';
import { CircuitBreaker } from './resilience/breaker.js';
import { ServerHealth } from './resilience/health.js';
import { MemoryStore } from './store/MemoryStore.js';
import type { PendingStore, PendingSummary, RecoveredState } from './store/PendingStore.js';
import { recoveredCampaigns } from './store/recoveredCampaigns.js';
import type { CampaignUpdate, RecipientEvent, RecipientEventInput, StatusUpdate, TransportShape } from './types.js';
import {
  type CampaignRegistration,
  checkCampaignId,
  checkRegistration,
  isTerminal,
  toCheckedStatus,
  toWireEvent,
} from './validate.js';

/**
 * Collects a worker's recipient events and campaign statuses and delivers them to the main server in few,
 * well-spaced, batched requests: adaptive per-campaign intervals, at least `minIntervalMs` between requests,
 * exactly-once delivery through stable batch and event ids, backoff, a circuit breaker and backpressure.
 *
 * @example
 * ```ts
 * const scheduler = new ServerUpdateScheduler({
 *   transport: createHttpTransport({ baseUrl: 'https://main.example.com', shape: 'bulk' }),
 * });
 * scheduler.registerCampaign('c1', { emailsPerMinute: 40, total: 500 });
 * await scheduler.record('c1', { recipientId: 'r1', outcome: 'sent', at: new Date() });
 * scheduler.setStatus('c1', { state: 'completed', sent: 1, failed: 0, total: 1 });
 * await scheduler.close({ timeoutMs: 30_000 });
 * ```
 */
export class ServerUpdateScheduler {
  readonly #options: ResolvedOptions;
  readonly #shape: TransportShape;
  readonly #store: PendingStore;
  readonly #campaigns = new Map<string, CampaignRecord>();
  // Forgotten campaigns: their last seq, and whether they were unregistered (then a late update is refused).
  readonly #finished = new Map<string, { readonly lastSeq: number; readonly unregistered: boolean }>();
  readonly #batches = new UnacknowledgedBatches();
  readonly #index = new DueIndex<CampaignRecord>();
  readonly #admission: Admission;
  readonly #emitter: Emitter<SchedulerEvents>;
  readonly #dispatcher: Dispatcher;
  readonly #batchIds: BatchIds;
  readonly #outbox: Outbox;
  readonly #log: LogLine | undefined;
  readonly #eventIdPrefix = `${globalThis.crypto.randomUUID().slice(0, 18)}.`;
  #eventIds = 0;
  #flushWaiters = 0;
  #timer: unknown;
  #timerAt = Number.POSITIVE_INFINITY;
  #closing: Promise<CloseReport> | undefined;
  readonly #now = (): number => this.#options.clock.now();
  readonly #newEventId = (): string => this.#eventIdPrefix + (++this.#eventIds).toString(36);

  /**
   * @throws TypeError or RangeError naming the option that is missing or wrong.
   */
  constructor(options: SchedulerOptions) {
    this.#options = resolveOptions(options);
    this.#shape = this.#options.transport.shape ?? 'bulk';
    this.#store = this.#options.store ?? new MemoryStore();
    const o = this.#options;
    this.#log =
      o.logger === undefined
        ? undefined
        : safeLogLine(o.logger, (error) => this.#problem({ source: 'logger', event: undefined, error }));
    this.#emitter = new Emitter<SchedulerEvents>(
      (error, name) => this.#problem({ source: 'listener', event: String(name), error }),
      new Telemetry(o.workerId, this.#log),
    );
    this.#outbox = new Outbox(this.#store, (error) => this.#problem({ source: 'store', event: undefined, error }));
    const recovered = this.#store.recover?.();
    this.#batchIds = new BatchIds(
      o.createBatchId,
      (id) => this.#batches.has(id),
      (error) => this.#problem({ source: 'createBatchId', event: undefined, error }),
    );
    // When callers start to wait for room, every pending campaign becomes due: room is made at the next slot.
    this.#admission = new Admission(o.maxPendingEvents, this.#emitter, () => this.#pump());
    let randomReported = false;
    this.#dispatcher = new Dispatcher({
      options: o,
      batches: this.#batches,
      outbox: this.#outbox,
      quietUntil: recovered?.quietUntil,
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
      jitter: () => {
        const value = o.random();
        try {
          checkRandomValue(value);
          return value;
        } catch (error) {
          if (!randomReported) this.#problem({ source: 'random', event: undefined, error });
          randomReported = true;
          return Math.random();
        }
      },
      campaign: (campaignId) => this.#campaigns.get(campaignId),
      onSettled: (record, update, acknowledged) => {
        const events = update.events.length;
        if (acknowledged) {
          record.eventsDelivered += events;
          record.lastAcknowledgedAt = this.#now();
        } else record.eventsDeadLettered += events;
        this.#onSettled(record, events, update.status?.seq);
      },
      onIdle: () => this.#pump(),
      onGateError: (error) => this.#problem({ source: 'requestGate', event: undefined, error }),
    });
    if (recovered !== undefined) this.#resume(recovered);
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
      // A campaign finished and forgotten keeps its seq rising, so the server does not take new statuses as stale.
      const lastSeq = this.#finished.get(campaignId)?.lastSeq;
      if (lastSeq !== undefined) {
        record.lastSeq = lastSeq;
        record.settledSeq = lastSeq;
        this.#finished.delete(campaignId);
      }
      this.#campaigns.set(campaignId, record);
    }
    record.unregistered = false;
    if (record.restored !== undefined) {
      // Taken up from the store: the worker owns it again; it is finished only if its last status said so.
      record.finished = record.restored.finished;
      record.restored = undefined;
    }
    if (registration.emailsPerMinute !== undefined) record.emailsPerMinute = registration.emailsPerMinute;
    if (registration.total !== undefined) record.total = registration.total;
    if (registration.ownerEpoch !== undefined) record.ownerEpoch = registration.ownerEpoch;
    // A faster rate may make what is pending due sooner.
    this.#reindex(record, this.#now());
  }

  /**
   * Stops taking updates for a campaign and forgets it once everything recorded for it is acknowledged or
   * dead-lettered (at once if it is). A campaign whose terminal status is acknowledged is forgotten without it.
   *
   * @example
   * ```ts
   * scheduler.unregisterCampaign('c1'); // the worker gave the campaign up
   * ```
   * @throws UnknownCampaignError for a campaign not registered.
   */
  unregisterCampaign(campaignId: string): void {
    const record = this.#campaigns.get(campaignId);
    if (record === undefined) throw new UnknownCampaignError(String(campaignId));
    record.unregistered = true;
    this.#forgetIfDone(record);
  }

  /**
   * Records one recipient's outcome. Returns nothing, or, while pending events are at `maxPendingEvents`, a
   * promise that settles once the event has been let in: await it, so the worker slows down instead of the
   * scheduler dropping anything or growing without bound. `at` may be a `Date`, epoch milliseconds or an ISO
   * string (it is sent as ISO); the event is copied, with an `eventId` if it has none.
   *
   * @example
   * ```ts
   * await scheduler.record('c1', { recipientId: 'r1', outcome: 'sent', at: new Date() });
   * ```
   * @throws TypeError or RangeError naming the field of a bad event; UnknownCampaignError; SchedulerClosedError
   * after `close()`.
   */
  record(campaignId: string, event: RecipientEventInput): void | Promise<void> {
    this.#checkOpen();
    const record = this.#registered(campaignId);
    const wire = toWireEvent(event, this.#newEventId);
    // The clock is read only when needed: it costs more than all the rest of record().
    if (record.eventsRecorded++ === 0) record.firstRecordedAt = this.#now();
    const held = this.#held();
    if (this.#admission.mustWait(held)) {
      return this.#admission.wait(campaignId, wire, () => this.#admit(record, wire), held);
    }
    this.#admit(record, wire);
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
    const record = this.#registered(campaignId);
    const checked = toCheckedStatus(status);
    const seq = checked.seq ?? record.lastSeq + 1;
    if (seq <= record.lastSeq) {
      throw new RangeError(`Expected \`status.seq\` to rise above ${record.lastSeq}, got \`${seq}\` (number)`);
    }
    const now = this.#now();
    const updatedAt = checked.updatedAt ?? new Date(now).toISOString();
    record.queue ??= this.#store.queue?.(campaignId);
    this.#store.putStatus(campaignId, { ...checked, seq, updatedAt }, now);
    record.lastSeq = seq;
    record.state = checked.state;
    record.statusAfterEvents = record.eventsRecorded;
    record.terminalPending = isTerminal(checked.state);
    record.finished = record.terminalPending;
    this.#reindex(record, now);
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
    let records: Iterable<CampaignRecord>;
    if (campaignId === undefined) records = this.#campaigns.values();
    else {
      const record = this.#campaigns.get(campaignId);
      if (record === undefined) {
        // A finished campaign that was forgotten has nothing left to deliver.
        if (this.#finished.has(campaignId)) return Promise.resolve();
        return Promise.reject(new UnknownCampaignError(String(campaignId)));
      }
      records = [record];
    }
    const open = [...records].filter((record) => !isSettled(record));
    if (open.length === 0 || this.#dispatcher.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter: FlushWaiter = { remaining: open.length, resolve };
      this.#flushWaiters++;
      const now = this.#now();
      for (const record of open) {
        const events = record.eventsRecorded;
        const seq = record.lastSeq;
        record.waiters.push({ waiter, events, seq });
        record.flushEvents = Math.max(record.flushEvents, events);
        record.flushSeq = Math.max(record.flushSeq, seq);
        this.#reindex(record, now);
      }
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
   * Listens to an event; returns a function that removes the listener. A listener that throws never disturbs
   * delivery: its first error is reported as an `error` event (or a process warning when nobody listens to those).
   *
   * @example
   * ```ts
   * const off = scheduler.on('deadletter', (letter) => saveForLater(letter));
   * ```
   * @throws TypeError for a listener that is not a function.
   */
  on<K extends keyof SchedulerEvents>(name: K, listener: (payload: SchedulerEvents[K]) => unknown): () => void {
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
    const oldestAt = this.#oldestUnacknowledgedAt();
    return {
      ...this.#dispatcher.counters,
      pendingEvents: this.#store.size + this.#admission.waiting,
      waitingEvents: this.#admission.waiting,
      unacknowledgedEvents: this.#batches.events,
      unacknowledgedBatches: this.#batches.size,
      stalenessMs: oldestAt === undefined ? undefined : Math.max(0, this.#now() - oldestAt),
      inFlight: this.#dispatcher.inFlight,
      breaker: this.#dispatcher.breakerState(),
      stretch: this.#dispatcher.stretch,
      latencyMs: this.#dispatcher.latencyMs,
      backpressure: this.#admission.waiting > 0,
      campaigns: this.#campaigns.size,
      listenerErrors: this.#emitter.listenerErrors,
    };
  }

  /**
   * Per-campaign figures: of one campaign (undefined for one not registered, or finished and forgotten), or of
   * every campaign registered. One campaign costs a store look-up; all of them, one per campaign, so poll the
   * aggregate `stats()` often and this less.
   *
   * @example
   * ```ts
   * const { stalenessMs, pendingEvents, lastAcknowledgedAt } = scheduler.campaignStats('c1') ?? {};
   * const stalest = scheduler.campaignStats().sort((a, b) => (b.stalenessMs ?? 0) - (a.stalenessMs ?? 0))[0];
   * ```
   */
  campaignStats(): CampaignStats[];
  campaignStats(campaignId: string): CampaignStats | undefined;
  campaignStats(campaignId?: string): CampaignStats[] | CampaignStats | undefined {
    const now = this.#now();
    const statsOf = (record: CampaignRecord) => {
      const intervalMs = baseInterval(record, now, this.#options.intervalTable) * this.#dispatcher.stretch;
      return campaignStatsOf(record, this.#store.peek(record.campaignId), intervalMs, now);
    };
    if (campaignId === undefined) return [...this.#campaigns.values()].map(statsOf);
    const record = this.#campaigns.get(campaignId);
    return record === undefined ? undefined : statsOf(record);
  }

  /** When the oldest update not yet acknowledged was recorded: of those pending (indexed), or in a batch. */
  #oldestUnacknowledgedAt(): number | undefined {
    let oldest = this.#index.oldestAt() ?? Number.POSITIVE_INFINITY;
    for (const entry of this.#batches) {
      for (const { campaignId } of entry.batch.campaigns) {
        oldest = Math.min(oldest, this.#campaigns.get(campaignId)?.unacknowledgedSince ?? oldest);
      }
    }
    return oldest === Number.POSITIVE_INFINITY ? undefined : oldest;
  }

  #checkOpen(): void {
    if (this.#closing !== undefined) throw new SchedulerClosedError();
  }

  /**
   * The campaign an update is for. A finished campaign that was forgotten comes back for a late update, as it
   * would have if its terminal status had not been acknowledged yet: what `record()` does never depends on when
   * the server answered.
   */
  #registered(campaignId: string): CampaignRecord {
    let record = this.#campaigns.get(campaignId);
    const forgotten = record === undefined ? this.#finished.get(campaignId) : undefined;
    if (forgotten !== undefined && !forgotten.unregistered) {
      this.registerCampaign(campaignId);
      record = this.#campaigns.get(campaignId);
      // Still finished: once the late update is settled, it is forgotten again.
      if (record !== undefined) record.finished = true;
    }
    if (record === undefined || record.unregistered) throw new UnknownCampaignError(String(campaignId));
    return record;
  }

  /**
   * Reports a fault of the caller's the scheduler worked around: logged, and an `error` event; a process warning
   * when neither a logger nor a listener hears of it.
   */
  #problem(event: ErrorEvent): void {
    const { error } = event;
    const what = event.source === 'listener' ? `a listener of "${event.event}" threw` : `${event.source} failed`;
    this.#log?.('error', { source: event.source, event: event.event, err: error }, `${what} (delivery goes on)`);
    if (this.#emitter.listens('error')) {
      this.#emitter.emit('error', event);
      return;
    }
    if (this.#log !== undefined && event.source !== 'logger') return;
    const message = `ServerUpdateScheduler: ${what} (delivery goes on): ${error instanceof Error ? error.message : String(error)}`;
    globalThis.process?.emitWarning?.(message, { code: 'SCOPE_SCHEDULER', detail: (error as Error)?.stack });
  }

  /** Events held in memory: waiting for a batch, or in one not yet acknowledged. */
  #held(): number {
    return this.#store.size + this.#batches.events;
  }

  #admit(record: CampaignRecord, event: RecipientEvent): void {
    record.queue ??= this.#store.queue?.(record.campaignId);
    const pending = this.#store.appendEvent(record.campaignId, event, this.#now);
    // Only these can make the campaign due sooner: its first pending event, a full batch, a flush under way,
    // and (every 16 events) a measured rate that has climbed into a faster class.
    if (
      pending === 1 ||
      pending === this.#options.maxBatchEvents ||
      record.eventsTaken < record.flushEvents ||
      (record.emailsPerMinute === undefined && (pending & 15) === 0)
    ) {
      this.#reindex(record, this.#now());
    }
  }

  /** What the campaign has pending, from its own queue when it holds one. */
  #pendingOf(record: CampaignRecord): PendingSummary {
    return record.queue === undefined ? this.#store.peek(record.campaignId) : record.queue.peek();
  }

  /** Puts a campaign where it belongs in the due index, and wakes the scheduler sooner if it is due sooner. */
  #reindex(record: CampaignRecord, now: number): void {
    const { campaignId } = record;
    if (isBlocked(record)) {
      this.#index.delete(campaignId);
      return;
    }
    const intervalMs = baseInterval(record, now, this.#options.intervalTable);
    const view = viewOf(record, this.#pendingOf(record), false, intervalMs, false);
    if (view.oldestAt === undefined) {
      this.#index.delete(campaignId);
      return;
    }
    const entry = {
      oldestAt: view.oldestAt,
      intervalMs,
      urgent: view.urgent || view.pendingEvents >= this.#options.maxBatchEvents,
    };
    this.#index.set(campaignId, entry, record);
    const due = dueAt(entry, this.#dispatcher.stretch, this.#admission.waiting > 0);
    if (due < this.#timerAt) this.#arm(Math.max(due, now), now);
  }

  /** Sends what may go now, and sets the one timer for the next time something may. */
  #pump(): void {
    if (this.#dispatcher.stopped) return;
    for (;;) {
      const now = this.#now();
      const pressed = this.#admission.waiting > 0;
      const wantAt = Math.min(this.#batches.nextReadyAt(), this.#index.nextDueAt(this.#dispatcher.stretch, pressed));
      const sendAt = nextSendAt(wantAt, (at) => this.#dispatcher.nextRequestAt(at), now);
      const entry = sendAt <= now ? (this.#batches.nextReady(now) ?? this.#newBatch(now, pressed)) : undefined;
      if (entry === undefined) {
        const next = nextWakeAt(sendAt, this.#batches.nextReadyAt(), now);
        if (next === Number.POSITIVE_INFINITY) this.#disarm();
        else this.#arm(next, now);
        return;
      }
      // Sealed before its first request, so a restart re-sends it as it was; one the store failed to seal waits.
      if (!entry.sealed && !this.#outbox.seal(entry)) {
        entry.notBefore = now + this.#options.minIntervalMs;
        continue;
      }
      this.#dispatcher.send(entry, now);
    }
  }

  #newBatch(now: number, pressed: boolean): Unacknowledged | undefined {
    const o = this.#options;
    const records = this.#index.take(now, {
      stretch: this.#dispatcher.stretch,
      pressed,
      limit: this.#shape === 'legacy' ? 1 : o.maxBatchCampaigns,
      rideAlongRatio: o.rideAlongRatio,
    });
    if (records.length === 0) return undefined;
    const campaigns: CampaignUpdate[] = [];
    const queues: Unacknowledged[][] = [];
    const empty: CampaignRecord[] = [];
    // One pass per campaign (look at it, decide, take), so each is looked up once while it is at hand.
    for (const record of records) {
      const update = this.#takeUpdate(record, now, pressed);
      if (update === undefined) empty.push(record);
      else {
        campaigns.push(update);
        queues.push(record.batches);
      }
    }
    let entry: Unacknowledged | undefined;
    if (campaigns.length > 0) {
      entry = newEntry({ batchId: this.#batchIds.next(), workerId: o.workerId, campaigns }, now);
      this.#batches.add(entry, queues);
    }
    // Taken campaigns are blocked until their batch settles (out of the index); one that gave nothing is indexed anew.
    for (const record of entry === undefined ? records : empty) this.#reindex(record, now);
    return entry;
  }

  /** Takes out of the store what a campaign chosen for the next batch sends in it; undefined when it has nothing. */
  #takeUpdate(record: CampaignRecord, now: number, pressed: boolean): CampaignUpdate | undefined {
    const o = this.#options;
    const { campaignId } = record;
    const { queue } = record;
    const summary = this.#pendingOf(record);
    const view = viewOf(record, summary, false, baseInterval(record, now, o.intervalTable), pressed);
    const part = planPart(view, this.#shape, o.maxBatchEvents, {
      owed: record.statusOwed,
      eventsFirst: eventsBeforeStatus(record),
    });
    const { events, status } =
      queue === undefined
        ? this.#store.take(campaignId, part.maxEvents, part.withStatus)
        : queue.take(part.maxEvents, part.withStatus);
    if (events.length === 0 && status === undefined) return undefined;
    record.eventsTaken += events.length;
    // Its staleness from now on is that of what it just put in a batch, until the batch is acknowledged.
    record.unacknowledgedSince ??= view.oldestAt ?? now;
    // Built field by field: spreading optional fields in costs more than the rest of taking a campaign.
    const update: { -readonly [K in keyof CampaignUpdate]: CampaignUpdate[K] } = { campaignId, events };
    if (status !== undefined) update.status = status;
    if (record.ownerEpoch !== undefined) update.ownerEpoch = record.ownerEpoch;
    if (status !== undefined) {
      record.terminalPending = false;
      record.statusOwed = false;
    } else if (this.#shape === 'legacy' && summary.status !== undefined) {
      // The status follows its events when the campaign went because it was due, not only because it was full.
      record.statusOwed = view.urgent || (view.oldestAt as number) + view.intervalMs <= now;
    }
    return update;
  }

  /**
   * Takes up what the store's previous scheduler left: its sealed batches go again as they were, its pending
   * updates as if just recorded, and each campaign's statuses go on rising from its last seq. A campaign comes
   * back as finished (forgotten once settled) until the worker registers it again.
   */
  #resume(recovered: RecoveredState): void {
    const now = this.#now();
    const sealedEvents = new Map<string, number>();
    const sealedSeq = new Map<string, number>();
    for (const sealed of recovered.batches) {
      for (const update of sealed.batch.campaigns) {
        sealedEvents.set(update.campaignId, (sealedEvents.get(update.campaignId) ?? 0) + update.events.length);
        if (update.status !== undefined) sealedSeq.set(update.campaignId, update.status.seq);
      }
    }
    // Every campaign of a sealed batch gets a record, also from a store whose own list left it out.
    for (const campaign of recoveredCampaigns(recovered.campaigns, recovered.batches)) {
      const record = newCampaignRecord(campaign.campaignId);
      const { pendingEvents, status } = this.#store.peek(campaign.campaignId);
      const inBatches = sealedEvents.get(campaign.campaignId) ?? 0;
      record.eventsRecorded = inBatches + pendingEvents;
      record.eventsTaken = inBatches;
      record.statusAfterEvents = record.eventsRecorded;
      record.lastSeq = campaign.lastSeq;
      // Statuses not yet settled: below the oldest of them (any lower value works, settling raises it).
      const open = status !== undefined || sealedSeq.has(campaign.campaignId);
      record.settledSeq = open ? 0 : campaign.lastSeq;
      record.terminalPending = status !== undefined && isTerminal(status.state);
      record.finished = true;
      record.restored = { finished: campaign.finished };
      record.state = status?.state;
      // When a sealed batch's updates were recorded is not kept: it has waited at least since the restart.
      if (inBatches > 0 || sealedSeq.has(campaign.campaignId)) record.unacknowledgedSince = now;
      this.#campaigns.set(campaign.campaignId, record);
    }
    for (const sealed of recovered.batches) {
      const entry: Unacknowledged = { ...sealed, inFlight: false, sealed: true };
      this.#batches.add(
        entry,
        sealed.batch.campaigns.map((update) => (this.#campaigns.get(update.campaignId) as CampaignRecord).batches),
      );
    }
    for (const record of this.#campaigns.values()) {
      if (!this.#forgetIfDone(record)) this.#reindex(record, now);
    }
    this.#pump();
  }

  #onSettled(record: CampaignRecord, events: number, seq: number | undefined): void {
    record.eventsSettled += events;
    if (!isBlocked(record)) record.unacknowledgedSince = undefined;
    if (seq !== undefined) record.settledSeq = Math.max(record.settledSeq, seq);
    this.#admission.release(this.#held());
    if (record.waiters.length > 0) {
      record.waiters = record.waiters.filter((target) => {
        if (record.eventsSettled < target.events || record.settledSeq < target.seq) return true;
        if (--target.waiter.remaining === 0) {
          this.#flushWaiters--;
          target.waiter.resolve();
        }
        return false;
      });
      if (this.#flushWaiters === 0) keepAlive(this.#timer, false);
    }
    if (!this.#forgetIfDone(record)) this.#reindex(record, this.#now());
  }

  /** Forgets a finished (or unregistered) campaign once nothing of it is left; returns whether it did. */
  #forgetIfDone(record: CampaignRecord): boolean {
    const { campaignId } = record;
    if (!(record.finished || record.unregistered) || !isSettled(record)) return false;
    if (isBlocked(record) || this.#admission.waitingFor(campaignId) > 0) return false;
    if (this.#store.pendingEvents(campaignId) > 0 || this.#store.pendingStatus(campaignId) !== undefined) return false;
    this.#campaigns.delete(campaignId);
    this.#index.forget(campaignId);
    this.#store.forget(campaignId);
    this.#finished.set(campaignId, { lastSeq: record.lastSeq, unregistered: record.unregistered });
    // A bounded memory of the most recent, with their last seq, so one that comes back goes on rising.
    if (this.#finished.size > this.#options.rememberFinishedCampaigns) {
      this.#finished.delete(this.#finished.keys().next().value as string);
    }
    return true;
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
    keepAlive(this.#timer, this.#flushWaiters > 0);
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
    const waiting = this.#admission.drain();
    const unsent: CampaignUpdate[] = [];
    for (const record of this.#campaigns.values()) {
      const { campaignId } = record;
      const { events, status } = this.#store.take(campaignId, Number.POSITIVE_INFINITY, true);
      const late = waiting.get(campaignId);
      const all = late === undefined ? events : events.concat(late);
      if (all.length > 0 || status !== undefined) {
        unsent.push(status === undefined ? { campaignId, events: all } : { campaignId, events: all, status });
      }
    }
    const report = buildCloseReport(
      complete,
      this.stats(),
      unsent,
      [...this.#batches].map((entry) => entry.batch),
    );
    this.#log?.(
      report.complete ? 'info' : 'warn',
      {
        complete: report.complete,
        eventsDelivered: report.eventsDelivered,
        eventsLeft: report.eventsLeft,
        statusesLeft: report.statusesLeft,
      },
      report.complete ? 'closed: everything delivered' : 'closed with updates left: see the close report',
    );
    // Whoever still awaits a flush gets an answer: nothing more will be delivered.
    for (const record of this.#campaigns.values()) {
      for (const target of record.waiters) target.waiter.resolve();
      record.waiters = [];
    }
    this.#flushWaiters = 0;
    return report;
  }
}
