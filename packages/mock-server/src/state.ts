import type {
  BulkUpdateBody,
  BulkUpdateResponse,
  Campaign,
  CampaignControl,
  CampaignStatus,
  Recipient,
  RecipientEvent,
} from '@scope/contract';
import type { DemoCampaign } from './demo-data.js';

/** One request as the server saw it. */
export interface RequestLogEntry {
  /** When it arrived (ms since the epoch, from the clock the server runs on). */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** Which endpoint family: `bulk`, `events`, `status`, `intake` or `admin`. */
  readonly endpoint: string;
  readonly bytes: number;
  status: number;
  readonly batchId: string | undefined;
  readonly campaigns: readonly string[];
  readonly events: number;
  /** How long the server took to answer; undefined while it has not. */
  durationMs: number | undefined;
  /** The fault injected, if any. */
  fault: string | undefined;
}

/** The server's load, as `GET /__mock/summary` reports it. */
export interface LoadSummary {
  readonly requests: number;
  readonly requestsPerMinute: number;
  /** The most requests that arrived within any 15 s window. */
  readonly peak15s: number;
  readonly peakConcurrency: number;
  readonly minGapMs: number | null;
  readonly bytes: number;
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly eventsApplied: number;
  /** Events applied again for a recipient already applied (only possible without batch ids). */
  readonly duplicateEvents: number;
  /** Batches repeated with a known batch id, acknowledged and not applied again. */
  readonly duplicateBatches: number;
  readonly staleStatuses: number;
  readonly durationMs: number;
}

/**
 * What a real main server would hold: campaigns and recipients, events applied per campaign, batch ids seen,
 * the latest status of each campaign, per-campaign control, and the request log.
 */
export class MockServerState {
  readonly campaigns = new Map<string, Campaign>();
  readonly recipients = new Map<string, readonly Recipient[]>();
  readonly events = new Map<string, RecipientEvent[]>();
  /** When each event of `events` was applied (same order), for staleness: applied time − the event's `at`. */
  readonly appliedAt = new Map<string, number[]>();
  readonly statuses = new Map<string, CampaignStatus>();
  readonly control = new Map<string, CampaignControl['state']>();
  readonly log: RequestLogEntry[] = [];
  readonly #seenBatches = new Set<string>();
  readonly #appliedRecipients = new Map<string, Set<string>>();
  #duplicateEvents = 0;
  #duplicateBatches = 0;
  #staleStatuses = 0;
  #inFlight = 0;
  #peakInFlight = 0;

  constructor(demo: readonly DemoCampaign[] = []) {
    for (const { campaign, recipients } of demo) this.addCampaign(campaign, recipients);
  }

  addCampaign(campaign: Campaign, recipients: readonly Recipient[]): void {
    this.campaigns.set(campaign.id, campaign);
    this.recipients.set(campaign.id, recipients);
  }

  /** Applies a bulk update once per batch id; a repeat is acknowledged as a duplicate and changes nothing. */
  applyBulk(body: BulkUpdateBody): BulkUpdateResponse {
    if (this.#seenBatches.has(body.batchId)) {
      this.#duplicateBatches++;
      return { accepted: 0, duplicate: true, ...this.#controlFor(body.campaigns.map((c) => c.campaignId)) };
    }
    this.#seenBatches.add(body.batchId);
    let accepted = 0;
    for (const update of body.campaigns) {
      accepted += this.applyEvents(update.campaignId, update.events);
      if (update.status) this.applyStatus(update.campaignId, update.status);
    }
    return { accepted, duplicate: false, ...this.#controlFor(body.campaigns.map((c) => c.campaignId)) };
  }

  /** Whether a batch (or idempotency key) was applied before. */
  seen(batchId: string): boolean {
    return this.#seenBatches.has(batchId);
  }

  /** Remembers an idempotency key of a legacy request. */
  remember(batchId: string): void {
    this.#seenBatches.add(batchId);
  }

  countDuplicateBatch(): void {
    this.#duplicateBatches++;
  }

  /** Applies events; returns how many. An event for a recipient already applied is counted as a duplicate. */
  applyEvents(campaignId: string, events: readonly RecipientEvent[]): number {
    const list = this.events.get(campaignId) ?? [];
    const times = this.appliedAt.get(campaignId) ?? [];
    const applied = this.#appliedRecipients.get(campaignId) ?? new Set<string>();
    const now = Date.now();
    for (const event of events) {
      if (applied.has(event.recipientId)) this.#duplicateEvents++;
      applied.add(event.recipientId);
      list.push(event);
      times.push(now);
    }
    this.events.set(campaignId, list);
    this.appliedAt.set(campaignId, times);
    this.#appliedRecipients.set(campaignId, applied);
    const campaign = this.campaigns.get(campaignId);
    if (campaign?.state === 'ready' && events.length > 0)
      this.campaigns.set(campaignId, { ...campaign, state: 'running' });
    return events.length;
  }

  /** Keeps a status unless it is older (by `seq`) than the one held; returns false for a stale one. */
  applyStatus(campaignId: string, status: CampaignStatus): boolean {
    const current = this.statuses.get(campaignId);
    if (current !== undefined && status.seq <= current.seq) {
      this.#staleStatuses++;
      return false;
    }
    this.statuses.set(campaignId, status);
    const campaign = this.campaigns.get(campaignId);
    if (campaign !== undefined) this.campaigns.set(campaignId, { ...campaign, state: status.state });
    return true;
  }

  /** Notes a request starting (for the log and the concurrency peak); returns its log entry. */
  begin(entry: Omit<RequestLogEntry, 'status' | 'durationMs' | 'fault'>): RequestLogEntry {
    const full: RequestLogEntry = { ...entry, status: 0, durationMs: undefined, fault: undefined };
    this.log.push(full);
    // The admin endpoints are the observer, not the load.
    if (full.endpoint !== 'admin') {
      this.#inFlight++;
      this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    }
    return full;
  }

  /** Notes a request ending. */
  end(entry: RequestLogEntry, status: number, now: number): void {
    entry.status = status;
    entry.durationMs = now - entry.at;
    if (entry.endpoint !== 'admin') this.#inFlight--;
  }

  /** The load so far, over the requests of the given endpoints (default: all but admin). */
  summary(endpoints: readonly string[] = ['bulk', 'events', 'status', 'intake']): LoadSummary {
    const requests = this.log.filter((entry) => endpoints.includes(entry.endpoint));
    const times = requests.map((entry) => entry.at);
    const first = times[0];
    const last = times.at(-1);
    const durationMs = first === undefined || last === undefined ? 0 : last - first;
    let peak15s = 0;
    let minGapMs: number | null = null;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= 15_000) j++;
      peak15s = Math.max(peak15s, i - j + 1);
      if (i > 0)
        minGapMs = Math.min(minGapMs ?? Number.POSITIVE_INFINITY, (times[i] as number) - (times[i - 1] as number));
    }
    const tally = (key: (entry: RequestLogEntry) => string) =>
      requests.reduce<Record<string, number>>((acc, entry) => {
        acc[key(entry)] = (acc[key(entry)] ?? 0) + 1;
        return acc;
      }, {});
    return {
      requests: requests.length,
      requestsPerMinute: durationMs > 0 ? (requests.length / durationMs) * 60_000 : requests.length,
      peak15s,
      peakConcurrency: this.#peakInFlight,
      minGapMs,
      bytes: requests.reduce((sum, entry) => sum + entry.bytes, 0),
      byEndpoint: tally((entry) => entry.endpoint),
      byStatus: tally((entry) => String(entry.status)),
      eventsApplied: [...this.events.values()].reduce((sum, list) => sum + list.length, 0),
      duplicateEvents: this.#duplicateEvents,
      duplicateBatches: this.#duplicateBatches,
      staleStatuses: this.#staleStatuses,
      durationMs,
    };
  }

  #controlFor(campaignIds: readonly string[]): { control?: CampaignControl[] } {
    const control = campaignIds.flatMap((campaignId) => {
      const state = this.control.get(campaignId);
      return state === undefined ? [] : [{ campaignId, state }];
    });
    return control.length > 0 ? { control } : {};
  }
}
