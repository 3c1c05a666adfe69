import {
  type Batch,
  type CampaignStatus,
  type RecipientEvent,
  type SchedulerOptions,
  ServerUpdateScheduler,
  type Transport,
  type TransportResult,
  type TransportShape,
} from '../src/index.js';

/**
 * What the server does with one request.
 * - `answer`: answers `status` after `latencyMs` (applying the batch on a 2xx); a batch id already applied is
 *   acknowledged (200) whatever `status` says. A request aborted before the answer is not applied.
 * - `network-error`: the connection fails; nothing applied.
 * - `lose-answer`: applies the batch, then the connection resets.
 * - `hang`: never answers until aborted; nothing applied.
 * - `apply-then-hang`: applies the batch, then never answers until aborted.
 * - `apply-then-answer`: applies the batch, then answers `status` anyway (a 500 from a failing proxy or commit).
 * - `not-acknowledged`: something in front of the server answers (an HTML page, a login redirect, a body that is
 *   not the contract's): nothing applied, whatever the batch id, and the transport resolves `{ status,
 *   notAcknowledged: reason }`.
 * - `too-large`: 413 from the body-size limit in front of the application, whatever the batch id; nothing applied.
 * - `process`: the server works on the batch for `latencyMs` whether or not the client waits (an abort does not
 *   stop it), then applies it and answers `status` (default 200) if the client still waits.
 */
export type Behaviour =
  | { kind: 'answer'; status: number; retryAfterMs?: number; message?: string; latencyMs?: number }
  | { kind: 'network-error'; latencyMs?: number }
  | { kind: 'lose-answer'; latencyMs?: number }
  | { kind: 'hang' }
  | { kind: 'apply-then-hang'; latencyMs?: number }
  | { kind: 'apply-then-answer'; status: number; retryAfterMs?: number; message?: string; latencyMs?: number }
  | { kind: 'not-acknowledged'; status: number; reason: string; latencyMs?: number }
  | { kind: 'too-large'; latencyMs?: number }
  | { kind: 'process'; latencyMs: number; status?: number };

export interface RequestLog {
  readonly at: number;
  readonly batchId: string;
  readonly campaigns: readonly string[];
  readonly events: number;
  readonly inFlightAtStart: number;
  readonly shape: TransportShape;
  /** What became of it at the server: `applied`, `duplicate`, `409`, `413`, `422`, `not-acknowledged`, ... */
  outcome: string | undefined;
}

export interface FakeServerOptions {
  shape?: TransportShape;
  behave?: (batch: Batch, index: number, now: number) => Behaviour;
  /** A body-size limit in front of the application: 413 for a request holding more events than this. */
  maxEventsPerRequest?: number;
  /** A body-size limit of your own: 413 for a request this says is too large (before anything else). */
  tooLarge?: (batch: Batch) => boolean;
  /**
   * Follows the IETF Idempotency-Key draft: a request whose key (batch id) is still being processed gets 409, and
   * a key reused with another body gets 422. Both come before the behaviour.
   */
  idempotencyDraft?: boolean;
  /** Applies an event id once per campaign, as the contract's server does. @default true */
  dedupeEvents?: boolean;
}

/**
 * A main server in memory that behaves as the real one: it applies a batch once per batchId (a repeat is
 * acknowledged, whatever else would have been answered, and not applied again), applies an event id once per
 * campaign, refuses a stale status, and logs every request. `behave` decides, per request, what happens; by
 * default it answers 200 at once.
 */
export function createFakeServer(options: FakeServerOptions = {}) {
  const shape = options.shape ?? 'bulk';
  const dedupeEvents = options.dedupeEvents ?? true;
  const events = new Map<string, RecipientEvent[]>();
  const statuses = new Map<string, CampaignStatus[]>();
  const eventIds = new Map<string, Set<string>>();
  const seen = new Set<string>();
  const fingerprints = new Map<string, string>();
  const processing = new Map<string, number>();
  const log: RequestLog[] = [];
  const batches: Batch[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const inFlightCampaigns = new Set<string>();
  let campaignOverlap = false;
  const counts = {
    staleStatuses: 0,
    staleStatusesSeen: 0,
    repeatedStatuses: 0,
    duplicateEvents: 0,
    duplicateBatches: 0,
    conflicts: 0,
    keyReuses: 0,
    tooLarge: 0,
  };

  const held = (campaignId: string) => statuses.get(campaignId)?.at(-1);

  function apply(batch: Batch): void {
    if (seen.has(batch.batchId)) {
      counts.duplicateBatches++;
      return;
    }
    seen.add(batch.batchId);
    for (const update of batch.campaigns) {
      const list = events.get(update.campaignId) ?? [];
      const ids = eventIds.get(update.campaignId) ?? new Set<string>();
      for (const event of update.events) {
        if (dedupeEvents && event.eventId !== undefined) {
          if (ids.has(event.eventId)) {
            counts.duplicateEvents++;
            continue;
          }
          ids.add(event.eventId);
        }
        list.push(event);
      }
      events.set(update.campaignId, list);
      eventIds.set(update.campaignId, ids);
      if (update.status) {
        const history = statuses.get(update.campaignId) ?? [];
        const last = history.at(-1);
        // A real server refuses a stale status; here it is noted, so a test can show it never happens. The status
        // it holds, sent again (a batch re-sent, or the half of a split one), is a repeat, not stale.
        if (last !== undefined && sameStatus(last, update.status)) counts.repeatedStatuses++;
        else if (last !== undefined && update.status.seq <= last.seq) counts.staleStatuses++;
        else history.push(update.status);
        statuses.set(update.campaignId, history);
      }
    }
  }

  const wait = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  const untilAborted = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  const startProcessing = (batchId: string) => processing.set(batchId, (processing.get(batchId) ?? 0) + 1);
  const endProcessing = (batchId: string) => {
    const left = (processing.get(batchId) ?? 1) - 1;
    if (left === 0) processing.delete(batchId);
    else processing.set(batchId, left);
  };

  async function serve(batch: Batch, signal: AbortSignal, entry: RequestLog, behaviour: Behaviour) {
    const latency = 'latencyMs' in behaviour ? (behaviour.latencyMs ?? 0) : 0;
    const pause = () => (latency > 0 ? wait(latency, signal) : Promise.resolve());
    const result = (status: number, extra: { retryAfterMs?: number; message?: string } = {}): TransportResult => ({
      status,
      ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
      ...(extra.message ? { message: extra.message } : {}),
    });
    switch (behaviour.kind) {
      case 'hang':
        entry.outcome = 'hang';
        return untilAborted(signal);
      case 'network-error':
        await pause();
        entry.outcome = 'network-error';
        throw new Error('connect ECONNREFUSED');
      case 'lose-answer':
        await pause();
        entry.outcome = seen.has(batch.batchId) ? 'duplicate, answer lost' : 'applied, answer lost';
        apply(batch);
        throw new Error('socket hang up');
      case 'apply-then-hang':
        await pause();
        entry.outcome = seen.has(batch.batchId) ? 'duplicate, then hang' : 'applied, then hang';
        apply(batch);
        return untilAborted(signal);
      case 'apply-then-answer':
        await pause();
        entry.outcome = `${seen.has(batch.batchId) ? 'duplicate' : 'applied'}, then ${behaviour.status}`;
        apply(batch);
        return result(behaviour.status, behaviour);
      case 'not-acknowledged':
        await pause();
        entry.outcome = 'not-acknowledged';
        return { status: behaviour.status, notAcknowledged: behaviour.reason };
      case 'too-large':
        await pause();
        counts.tooLarge++;
        entry.outcome = '413';
        return { status: 413 };
      case 'process': {
        // The server's work goes on if the client leaves: only the answer is lost then.
        startProcessing(batch.batchId);
        const done = new Promise<void>((resolve) =>
          setTimeout(() => {
            endProcessing(batch.batchId);
            entry.outcome = seen.has(batch.batchId) ? 'duplicate (processed)' : 'applied (processed)';
            apply(batch);
            resolve();
          }, behaviour.latencyMs),
        );
        await Promise.race([done, untilAborted(signal)]);
        return result(behaviour.status ?? 200);
      }
      case 'answer': {
        await pause();
        // As a real server does, a batch id it has applied is acknowledged before anything else is looked at.
        if (seen.has(batch.batchId)) {
          counts.duplicateBatches++;
          entry.outcome = 'duplicate';
          return { status: 200 };
        }
        const { status } = behaviour;
        entry.outcome = String(status);
        if (status >= 200 && status < 300) {
          entry.outcome = 'applied';
          apply(batch);
        }
        return result(status, behaviour);
      }
    }
  }

  const transport = (async (batch: Batch, { signal }: { signal: AbortSignal }): Promise<TransportResult> => {
    const index = log.length;
    const now = Date.now();
    for (const update of batch.campaigns) {
      if (inFlightCampaigns.has(update.campaignId)) campaignOverlap = true;
      inFlightCampaigns.add(update.campaignId);
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // A request ends for the client when it is aborted (a real fetch drops the connection then), or when answered.
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      inFlight--;
      for (const update of batch.campaigns) inFlightCampaigns.delete(update.campaignId);
    };
    signal.addEventListener('abort', end, { once: true });
    const eventCount = batch.campaigns.reduce((n, c) => n + c.events.length, 0);
    const entry: RequestLog = {
      at: now,
      batchId: batch.batchId,
      campaigns: batch.campaigns.map((c) => c.campaignId),
      events: eventCount,
      inFlightAtStart: inFlight,
      shape,
      outcome: undefined,
    };
    log.push(entry);
    batches.push(batch);
    // What the server sees, whether or not it applies it: a status older than the one it holds is stale.
    for (const update of batch.campaigns) {
      const last = held(update.campaignId);
      if (update.status && last && !sameStatus(last, update.status) && update.status.seq <= last.seq) {
        counts.staleStatusesSeen++;
      }
    }
    // A batch keeps its contents across retries: the same id with another body is a reused key.
    const fingerprint = JSON.stringify([batch.workerId, batch.campaigns]);
    const known = fingerprints.get(batch.batchId);
    const reused = known !== undefined && known !== fingerprint;
    if (reused) counts.keyReuses++;
    if (known === undefined) fingerprints.set(batch.batchId, fingerprint);
    try {
      if (options.idempotencyDraft && processing.has(batch.batchId)) {
        counts.conflicts++;
        entry.outcome = '409';
        return { status: 409, message: 'a request with this Idempotency-Key is still being processed' };
      }
      if (options.idempotencyDraft && reused) {
        entry.outcome = '422';
        return { status: 422, message: 'this Idempotency-Key was used with another body' };
      }
      if (
        (options.maxEventsPerRequest !== undefined && eventCount > options.maxEventsPerRequest) ||
        options.tooLarge?.(batch)
      ) {
        counts.tooLarge++;
        entry.outcome = '413';
        return { status: 413, message: 'payload too large' };
      }
      const behaviour = options.behave?.(batch, index, now) ?? { kind: 'answer', status: 200 };
      if (behaviour.kind === 'process') return await serve(batch, signal, entry, behaviour);
      startProcessing(batch.batchId);
      try {
        return await serve(batch, signal, entry, behaviour);
      } finally {
        endProcessing(batch.batchId);
      }
    } finally {
      signal.removeEventListener('abort', end);
      end();
    }
  }) as Transport;

  return {
    transport: Object.assign(transport, { shape }),
    events,
    statuses,
    log,
    /** Every batch received, in the order of `log`. */
    batches,
    get maxInFlight() {
      return maxInFlight;
    },
    get campaignOverlap() {
      return campaignOverlap;
    },
    /** Statuses at or below the seq held that reached the point of being applied (not counting identical repeats). */
    get staleStatuses() {
      return counts.staleStatuses;
    },
    /** Stale statuses in any request received, applied or not. */
    get staleStatusesSeen() {
      return counts.staleStatusesSeen;
    },
    /** The status held, sent again with the same seq and content. */
    get repeatedStatuses() {
      return counts.repeatedStatuses;
    },
    /** Events not applied because their event id was applied before. */
    get duplicateEvents() {
      return counts.duplicateEvents;
    },
    /** Requests whose batch id was applied before (acknowledged, not applied again). */
    get duplicateBatches() {
      return counts.duplicateBatches;
    },
    /** 409 answers for a key still being processed (`idempotencyDraft`). */
    get conflicts() {
      return counts.conflicts;
    },
    /** Requests that reused a batch id with another body. */
    get keyReuses() {
      return counts.keyReuses;
    },
    /** 413 answers of the size limit. */
    get tooLarge() {
      return counts.tooLarge;
    },
    /** The status the server holds for a campaign. */
    held,
    /** Every recipient id applied, in order, for one campaign. */
    applied(campaignId: string): string[] {
      return (events.get(campaignId) ?? []).map((event) => event.recipientId);
    },
    /** Every recipient id applied, over all campaigns. */
    allApplied(): string[] {
      return [...events.values()].flat().map((event) => event.recipientId);
    },
    /** Gaps between the starts of consecutive requests. */
    gaps(): number[] {
      return log.slice(1).map((entry, i) => entry.at - (log[i] as RequestLog).at);
    },
  };
}

export type FakeServer = ReturnType<typeof createFakeServer>;

function sameStatus(a: CampaignStatus, b: CampaignStatus): boolean {
  return (
    a.seq === b.seq &&
    a.state === b.state &&
    a.sent === b.sent &&
    a.failed === b.failed &&
    a.total === b.total &&
    a.updatedAt === b.updatedAt
  );
}

/** A valid event for recipient `id`. */
export function event(id: string | number, outcome: RecipientEvent['outcome'] = 'sent'): RecipientEvent {
  return { recipientId: String(id), outcome, at: new Date(Date.now()).toISOString() };
}

/** Sequential batch ids, for readable assertions. */
export function sequentialIds(prefix = 'b'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/**
 * A scheduler (worker `w1`, batch ids `b1`, `b2`, …, jitter 0.5) on a fake server that answers its request number
 * `index` (from 0) as `behave(index)` says: 200 by default.
 */
export function schedulerOnFakeServer(
  options: Partial<SchedulerOptions> = {},
  behave: (index: number) => Behaviour = () => ({ kind: 'answer', status: 200 }),
) {
  const server = createFakeServer({ behave: (_batch, index) => behave(index) });
  const scheduler = new ServerUpdateScheduler({
    transport: server.transport,
    workerId: 'w1',
    createBatchId: sequentialIds(),
    random: () => 0.5,
    ...options,
  });
  return { scheduler, server };
}
