import {
  type BulkUpdateBody,
  type BulkUpdateResponse,
  type Campaign,
  type CampaignControl,
  type CampaignStatus,
  campaign as campaignSchema,
  check,
  type Recipient,
  type RecipientEvent,
} from '@scope/contract';
import type { DemoCampaign } from './demo-data.js';
import { canonicalJson } from './fingerprint.js';
import { campaignId, problemOf } from './ids.js';
import { type LoadSummary, summarize } from './summary.js';

/** One request as the server saw it. */
export interface RequestLogEntry {
  /** When it arrived (ms since the epoch, from the clock the server runs on). */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** Which endpoint family: `bulk`, `events`, `status`, `intake` or `admin`. */
  readonly endpoint: string;
  /** The body's size; for a body refused by the body limit, how much of it was read. */
  readonly bytes: number;
  status: number;
  readonly batchId: string | undefined;
  /** The sender, as a bulk body names it (`workerId`); undefined for the legacy endpoints. */
  readonly workerId: string | undefined;
  readonly campaigns: readonly string[];
  readonly events: number;
  /** How long the server took to answer; undefined while it has not. */
  durationMs: number | undefined;
  /** The fault injected, if any. */
  fault: string | undefined;
}

/** What became of a status: kept, a repeat of the one held, or older than it (not kept). */
export type StatusOutcome = 'applied' | 'repeat' | 'stale';

/** An update's owner epoch against the newest the server has seen for its campaign (see {@link MockServerState.fence}). */
export type FenceVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly epoch: number; readonly newest: number };

/** What an `Idempotency-Key` was used for before: nothing, this very request, or a request with another body. */
export type KeyRecall = 'new' | 'repeat' | 'reused';

/**
 * What a real main server would hold: campaigns and recipients, events applied per campaign (and their event ids),
 * the idempotency keys it applied and the fingerprint of each one's request, the latest status of each campaign,
 * per-campaign control, and the request log.
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
  /** Each applied key (batch id) and the fingerprint of the request it was applied for. */
  readonly #keys = new Map<string, string>();
  readonly #processing = new Set<string>();
  /** The newest owner epoch seen per campaign (fencing). */
  readonly #epochs = new Map<string, number>();
  readonly #appliedRecipients = new Map<string, Set<string>>();
  readonly #appliedEventIds = new Map<string, Set<string>>();
  readonly #counts = {
    duplicateEvents: 0,
    deduplicatedEvents: 0,
    duplicateBatches: 0,
    duplicateStatuses: 0,
    staleStatuses: 0,
    fencedUpdates: 0,
  };
  #inFlight = 0;
  #peakInFlight = 0;

  constructor(demo: readonly DemoCampaign[] = []) {
    for (const { campaign, recipients } of demo) this.addCampaign(campaign, recipients);
  }

  /**
   * Registers a campaign (or replaces one of the same id) with its recipients: only campaigns registered here are
   * known to the update endpoints.
   *
   * @throws RangeError naming the field, for a campaign the contract refuses or an id the mock refuses.
   */
  addCampaign(campaign: Campaign, recipients: readonly Recipient[]): void {
    const problem = problemOf(campaignId, campaign?.id, 'campaign.id');
    if (problem !== undefined) throw new RangeError(problem);
    const checked = check(campaignSchema, campaign);
    if (!checked.ok) throw new RangeError(`campaign ${campaign.id}: ${checked.problems[0]}`);
    if (!Array.isArray(recipients)) throw new TypeError(`campaign ${campaign.id}: expected recipients to be an array`);
    this.campaigns.set(campaign.id, campaign);
    this.recipients.set(campaign.id, recipients);
  }

  /** Whether a campaign is registered. */
  knows(campaignId: string): boolean {
    return this.campaigns.has(campaignId);
  }

  /**
   * What a key was used for: `repeat` when it was applied for a request of this fingerprint (counted as a duplicate
   * batch), `reused` when for one with another, `new` otherwise.
   */
  recallKey(key: string, fingerprint: string): KeyRecall {
    const held = this.#keys.get(key);
    if (held === undefined) return 'new';
    if (held !== fingerprint) return 'reused';
    this.#counts.duplicateBatches++;
    return 'repeat';
  }

  /** Remembers that a key was applied for a request of this fingerprint. */
  rememberKey(key: string, fingerprint: string): void {
    this.#keys.set(key, fingerprint);
  }

  /** Whether a batch id (or idempotency key) was applied. */
  seen(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Marks a key as being processed; false when a request with it already is (the idempotency draft's 409). */
  claimKey(key: string): boolean {
    if (this.#processing.has(key)) return false;
    this.#processing.add(key);
    return true;
  }

  /** Ends what {@link claimKey} began. */
  releaseKey(key: string): void {
    this.#processing.delete(key);
  }

  /**
   * Fencing: whether an update of a campaign with this owner epoch may be applied. An update without an epoch always
   * may (workers outside a fleet send none); one whose epoch is older than the newest seen for the campaign may not
   * (counted in `fencedUpdates`): another worker took the campaign over. Call {@link raiseEpoch} once it is applied.
   */
  fence(campaignId: string, epoch: number | undefined): FenceVerdict {
    const newest = this.#epochs.get(campaignId);
    if (epoch === undefined || newest === undefined || epoch >= newest) return { ok: true };
    this.#counts.fencedUpdates++;
    return { ok: false, epoch, newest };
  }

  /** Remembers an owner epoch seen on an accepted update, if it is the newest of its campaign. */
  raiseEpoch(campaignId: string, epoch: number | undefined): void {
    if (epoch === undefined) return;
    if (epoch > (this.#epochs.get(campaignId) ?? -1)) this.#epochs.set(campaignId, epoch);
  }

  /** The newest owner epoch seen for a campaign, if any. */
  ownerEpoch(campaignId: string): number | undefined {
    return this.#epochs.get(campaignId);
  }

  /** Applies a bulk update (campaigns known, key checked by the caller): its events and statuses. */
  applyBulk(body: BulkUpdateBody): BulkUpdateResponse {
    let accepted = 0;
    for (const update of body.campaigns) {
      this.raiseEpoch(update.campaignId, update.ownerEpoch);
      accepted += this.applyEvents(update.campaignId, update.events);
      if (update.status) this.applyStatus(update.campaignId, update.status);
    }
    return { accepted, duplicate: false, ...this.controlFor(body.campaigns.map((c) => c.campaignId)) };
  }

  /**
   * Applies events to a campaign; returns how many were applied. An event whose `eventId` was applied for the
   * campaign before is skipped (counted as deduplicated); an event applied for a recipient already applied is
   * counted as a duplicate.
   */
  applyEvents(campaignId: string, events: readonly RecipientEvent[]): number {
    const list = this.events.get(campaignId) ?? [];
    const times = this.appliedAt.get(campaignId) ?? [];
    const recipients = this.#appliedRecipients.get(campaignId) ?? new Set<string>();
    const eventIds = this.#appliedEventIds.get(campaignId) ?? new Set<string>();
    const now = Date.now();
    let applied = 0;
    for (const event of events) {
      if (event.eventId !== undefined) {
        if (eventIds.has(event.eventId)) {
          this.#counts.deduplicatedEvents++;
          continue;
        }
        eventIds.add(event.eventId);
      }
      if (recipients.has(event.recipientId)) this.#counts.duplicateEvents++;
      recipients.add(event.recipientId);
      list.push(event);
      times.push(now);
      applied++;
    }
    this.events.set(campaignId, list);
    this.appliedAt.set(campaignId, times);
    this.#appliedRecipients.set(campaignId, recipients);
    this.#appliedEventIds.set(campaignId, eventIds);
    const campaign = this.campaigns.get(campaignId);
    if (campaign?.state === 'ready' && applied > 0) this.campaigns.set(campaignId, { ...campaign, state: 'running' });
    return applied;
  }

  /**
   * Keeps a status unless the one held is newer: `repeat` for the seq and the content of the one held (counted as a
   * duplicate status), `stale` for an older seq or the same seq with other content (counted as stale, not kept).
   */
  applyStatus(campaignId: string, status: CampaignStatus): StatusOutcome {
    const current = this.statuses.get(campaignId);
    if (current !== undefined && status.seq === current.seq && canonicalJson(status) === canonicalJson(current)) {
      this.#counts.duplicateStatuses++;
      return 'repeat';
    }
    if (current !== undefined && status.seq <= current.seq) {
      this.#counts.staleStatuses++;
      return 'stale';
    }
    this.statuses.set(campaignId, status);
    const campaign = this.campaigns.get(campaignId);
    if (campaign !== undefined) this.campaigns.set(campaignId, { ...campaign, state: status.state });
    return 'applied';
  }

  /** The per-campaign control a bulk answer carries for these campaigns. */
  controlFor(campaignIds: readonly string[]): { control?: CampaignControl[] } {
    const control = campaignIds.flatMap((campaignId) => {
      const state = this.control.get(campaignId);
      return state === undefined ? [] : [{ campaignId, state }];
    });
    return control.length > 0 ? { control } : {};
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
    return summarize(this.log, endpoints, {
      ...this.#counts,
      eventsApplied: [...this.events.values()].reduce((sum, list) => sum + list.length, 0),
      peakConcurrency: this.#peakInFlight,
    });
  }
}
