/** What happened to one recipient of a campaign. */
export type RecipientOutcome = 'sent' | 'failed' | 'bounced' | 'skipped';

/** One recipient's outcome, as the main server receives it. */
export interface RecipientEvent {
  /**
   * Names this one event for good; the server applies an event id once per campaign, so an event re-sent in
   * another batch is not applied twice. The scheduler sets one on every event it takes in.
   */
  readonly eventId?: string;
  /** The recipient, as the main server knows it. */
  readonly recipientId: string;
  /** The address the email went to. */
  readonly email?: string;
  /** What happened: sent, failed (for now), bounced (for good) or skipped. */
  readonly outcome: RecipientOutcome;
  /** When it happened, as an ISO 8601 date-time. */
  readonly at: string;
  /** The SMTP message id of a sent email. */
  readonly messageId?: string;
  /** Why it failed or bounced, as the mail server said. */
  readonly error?: string;
}

/**
 * What `record()` takes: a {@link RecipientEvent} whose `at` may also be a `Date` or epoch milliseconds (it is sent
 * as an ISO string), and whose `eventId` may be left out (the scheduler makes one).
 */
export type RecipientEventInput = Omit<RecipientEvent, 'at'> & { readonly at: string | number | Date };

/** The life-cycle state of a campaign; the last three are terminal. */
export type CampaignState = 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

/** A campaign's progress, as the main server receives it. `seq` rises with every change. */
export interface CampaignStatus {
  /** Where the campaign is in its life. */
  readonly state: CampaignState;
  /** Emails sent so far. */
  readonly sent: number;
  /** Emails that failed or bounced so far. */
  readonly failed: number;
  /** Recipients in all. */
  readonly total: number;
  /** Rises with every change, so the server can refuse a status older than the one it holds. */
  readonly seq: number;
  /** ISO 8601 date-time of the change. */
  readonly updatedAt: string;
}

/** What `setStatus` takes: `seq` defaults to the previous one plus 1, `updatedAt` to now. */
export type StatusUpdate = Omit<CampaignStatus, 'seq' | 'updatedAt'> & {
  readonly seq?: number;
  /** A `Date`, epoch milliseconds or an ISO string; sent as an ISO string. */
  readonly updatedAt?: string | number | Date;
};

/** One campaign's part of a batch. */
export interface CampaignUpdate {
  readonly campaignId: string;
  /** Its events, in the order they were recorded (at most `maxBatchEvents`). */
  readonly events: readonly RecipientEvent[];
  /** Its newest status, when one is due with these events. */
  readonly status?: CampaignStatus;
  /**
   * The sender's owner epoch for the campaign (given at `registerCampaign`): a main server that fences refuses an
   * update whose epoch is older than the newest it has seen, so a worker that lost the campaign cannot write.
   */
  readonly ownerEpoch?: number;
}

/** One request's worth of updates. A batch keeps its `batchId` and contents across retries. */
export interface Batch {
  /** Unique, sent as `Idempotency-Key`: the server applies a batch id once. */
  readonly batchId: string;
  /** The worker that sent it. */
  readonly workerId: string;
  /** Its campaigns' updates (one campaign with the legacy shape). */
  readonly campaigns: readonly CampaignUpdate[];
}

/** A per-campaign instruction the server may return with an acknowledgement. */
export interface CampaignControl {
  readonly campaignId: string;
  /** What the server wants of the campaign now. */
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
  /**
   * Set when an answer that looks like success does not acknowledge the batch under the contract (a 2xx whose
   * body is not the contract's answer, a 301/302/303 redirect): why. The batch is not delivered: it is a failed
   * attempt, tried again under the same id, and dead-lettered after `maxInvalidAnswers` such answers.
   */
  readonly notAcknowledged?: string;
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
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` after `ms`; returns a handle for `clearTimeout` (a Node timer is unref'd/ref'd as needed). */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer set by `setTimeout`. */
  clearTimeout(handle: unknown): void;
}
