import type { CampaignStatus, RecipientEvent } from '../types.js';
import type { PendingStore, TakenUpdates } from './PendingStore.js';

interface CampaignEntry {
  // Events and their record times side by side; `head` is the first not yet taken, so taking is cheap.
  events: RecipientEvent[];
  recordedAt: number[];
  head: number;
  status: CampaignStatus | undefined;
  statusAt: number | undefined;
}

/** The default {@link PendingStore}: per-campaign arrays in memory. */
export class MemoryStore implements PendingStore {
  readonly #campaigns = new Map<string, CampaignEntry>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  appendEvent(campaignId: string, event: RecipientEvent, recordedAt: number): void {
    const entry = this.#entry(campaignId);
    entry.events.push(event);
    entry.recordedAt.push(recordedAt);
    this.#size++;
  }

  putStatus(campaignId: string, status: CampaignStatus, recordedAt: number): void {
    const entry = this.#entry(campaignId);
    // A replaced status keeps the older time: the update has been waiting since then.
    if (entry.status === undefined) entry.statusAt = recordedAt;
    entry.status = status;
  }

  pendingEvents(campaignId: string): number {
    const entry = this.#campaigns.get(campaignId);
    return entry === undefined ? 0 : entry.events.length - entry.head;
  }

  pendingStatus(campaignId: string): CampaignStatus | undefined {
    return this.#campaigns.get(campaignId)?.status;
  }

  oldestPendingAt(campaignId: string): number | undefined {
    const entry = this.#campaigns.get(campaignId);
    if (entry === undefined) return undefined;
    const eventAt = entry.head < entry.events.length ? entry.recordedAt[entry.head] : undefined;
    if (eventAt === undefined) return entry.statusAt;
    return entry.statusAt === undefined ? eventAt : Math.min(eventAt, entry.statusAt);
  }

  take(campaignId: string, maxEvents: number, withStatus: boolean): TakenUpdates {
    const entry = this.#campaigns.get(campaignId);
    if (entry === undefined) return { events: [], status: undefined };
    const end = Math.min(entry.events.length, entry.head + maxEvents);
    const events = entry.events.slice(entry.head, end);
    this.#size -= events.length;
    entry.head = end;
    if (entry.head === entry.events.length) {
      entry.events.length = 0;
      entry.recordedAt.length = 0;
      entry.head = 0;
    } else if (entry.head > 4096 && entry.head * 2 > entry.events.length) {
      entry.events.splice(0, entry.head);
      entry.recordedAt.splice(0, entry.head);
      entry.head = 0;
    }
    const status = withStatus ? entry.status : undefined;
    if (withStatus) {
      entry.status = undefined;
      entry.statusAt = undefined;
    }
    return { events, status };
  }

  forget(campaignId: string): void {
    this.#size -= this.pendingEvents(campaignId);
    this.#campaigns.delete(campaignId);
  }

  #entry(campaignId: string): CampaignEntry {
    let entry = this.#campaigns.get(campaignId);
    if (entry === undefined) {
      entry = { events: [], recordedAt: [], head: 0, status: undefined, statusAt: undefined };
      this.#campaigns.set(campaignId, entry);
    }
    return entry;
  }
}
