import type {
  Batch,
  CampaignStatus,
  RecipientEvent,
  Transport,
  TransportResult,
  TransportShape,
} from '../src/index.js';

/** What the server does with one request: answer, fail the network, apply then lose the answer, or hang. */
export type Behaviour =
  | { kind: 'answer'; status: number; retryAfterMs?: number; message?: string; latencyMs?: number }
  | { kind: 'network-error'; latencyMs?: number }
  | { kind: 'lose-answer'; latencyMs?: number }
  | { kind: 'hang' };

export interface RequestLog {
  readonly at: number;
  readonly batchId: string;
  readonly campaigns: readonly string[];
  readonly events: number;
  readonly inFlightAtStart: number;
  readonly shape: TransportShape;
}

/**
 * A main server in memory that behaves as the real one: it applies a batch once per batchId (a repeat is
 * acknowledged, whatever else would have been answered, and not applied again), refuses a stale status, and logs every request. `behave` decides, per
 * request, what happens; by default it answers 200 at once.
 */
export function createFakeServer(
  options: { shape?: TransportShape; behave?: (batch: Batch, index: number, now: number) => Behaviour } = {},
) {
  const shape = options.shape ?? 'bulk';
  const events = new Map<string, RecipientEvent[]>();
  const statuses = new Map<string, CampaignStatus[]>();
  const seen = new Set<string>();
  const log: RequestLog[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const inFlightCampaigns = new Set<string>();
  let campaignOverlap = false;
  let staleStatuses = 0;

  function apply(batch: Batch): void {
    if (seen.has(batch.batchId)) return;
    seen.add(batch.batchId);
    for (const update of batch.campaigns) {
      const list = events.get(update.campaignId) ?? [];
      list.push(...update.events);
      events.set(update.campaignId, list);
      if (update.status) {
        const history = statuses.get(update.campaignId) ?? [];
        const last = history.at(-1);
        // A real server refuses a stale status; here it is noted, so a test can show it never happens.
        if (last !== undefined && update.status.seq <= last.seq) staleStatuses++;
        else history.push(update.status);
        statuses.set(update.campaignId, history);
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
    log.push({
      at: now,
      batchId: batch.batchId,
      campaigns: batch.campaigns.map((c) => c.campaignId),
      events: batch.campaigns.reduce((n, c) => n + c.events.length, 0),
      inFlightAtStart: inFlight,
      shape,
    });
    const behaviour = options.behave?.(batch, index, now) ?? { kind: 'answer', status: 200 };
    try {
      if (behaviour.kind === 'hang') {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
      const latency = 'latencyMs' in behaviour ? (behaviour.latencyMs ?? 0) : 0;
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      if (behaviour.kind === 'network-error') throw new Error('connect ECONNREFUSED');
      if (behaviour.kind === 'lose-answer') {
        apply(batch);
        throw new Error('socket hang up');
      }
      // As a real server does, a batch id it has applied is acknowledged before anything else is looked at.
      if (seen.has(batch.batchId)) return { status: 200 };
      const { status, retryAfterMs, message } = behaviour as Extract<Behaviour, { kind: 'answer' }>;
      if (status >= 200 && status < 300) apply(batch);
      return { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(message ? { message } : {}) };
    } finally {
      inFlight--;
      for (const update of batch.campaigns) inFlightCampaigns.delete(update.campaignId);
    }
  }) as Transport;

  return {
    transport: Object.assign(transport, { shape }),
    events,
    statuses,
    log,
    get maxInFlight() {
      return maxInFlight;
    },
    get campaignOverlap() {
      return campaignOverlap;
    },
    get staleStatuses() {
      return staleStatuses;
    },
    /** Every event id applied, in order, for one campaign. */
    applied(campaignId: string): string[] {
      return (events.get(campaignId) ?? []).map((event) => event.recipientId);
    },
    /** Gaps between the starts of consecutive requests. */
    gaps(): number[] {
      return log.slice(1).map((entry, i) => entry.at - (log[i] as RequestLog).at);
    },
  };
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
