/** What happened to one recipient of a campaign. */
export type RecipientOutcome = 'sent' | 'failed' | 'bounced' | 'skipped';

/** One recipient's outcome, as the main server receives it. */
export interface RecipientEvent {
  readonly recipientId: string;
  readonly email?: string;
  readonly outcome: RecipientOutcome;
  /** When it happened, as an ISO 8601 date-time. */
  readonly at: string;
  readonly messageId?: string;
  readonly error?: string;
}

/** The life-cycle state of a campaign; the last three are terminal. */
export type CampaignState = 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

/** A campaign's progress, as the main server receives it. `seq` rises with every change. */
export interface CampaignStatus {
  readonly state: CampaignState;
  readonly sent: number;
  readonly failed: number;
  readonly total: number;
  readonly seq: number;
  /** ISO 8601 date-time of the change. */
  readonly updatedAt: string;
}

/** What `setStatus` takes: `seq` defaults to the previous one plus 1, `updatedAt` to now. */
export type StatusUpdate = Omit<CampaignStatus, 'seq' | 'updatedAt'> & {
  readonly seq?: number;
  readonly updatedAt?: string;
};

/** One campaign's part of a batch. */
export interface CampaignUpdate {
  readonly campaignId: string;
  readonly events: readonly RecipientEvent[];
  readonly status?: CampaignStatus;
}

/** One request's worth of updates. A batch keeps its `batchId` and contents across retries. */
export interface Batch {
  readonly batchId: string;
  readonly workerId: string;
  readonly campaigns: readonly CampaignUpdate[];
}

/** A per-campaign instruction the server may return with an acknowledgement. */
export interface CampaignControl {
  readonly campaignId: string;
  readonly state: 'running' | 'paused' | 'cancelled';
}

/** What one request came back with. */
export interface TransportResult {
  /** The HTTP status (or an equivalent code for other transports). */
  readonly status: number;
  /** How long the server asked to wait before the next request (from `Retry-After`). */
  readonly retryAfterMs?: number;
  /** Per-campaign instructions carried by the answer (bulk shape). */
  readonly control?: readonly CampaignControl[];
  /** What the server said of a refusal (its error message), for dead letters and logs. */
  readonly message?: string;
}

/** How a transport groups updates: `bulk` sends many campaigns a request, `legacy` one campaign and one kind. */
export type TransportShape = 'bulk' | 'legacy';

/**
 * Sends one batch as exactly one request and resolves with the answer; a throw (or rejection) is a network
 * failure. It must stop when `signal` aborts.
 */
export interface Transport {
  (batch: Batch, context: { readonly signal: AbortSignal }): Promise<TransportResult>;
  /** @default 'bulk' */
  readonly shape?: TransportShape;
}

/** The timers and time source the scheduler uses; inject one to drive it from a simulator. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
