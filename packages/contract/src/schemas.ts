import { z } from 'zod';

/** An ISO 8601 date-time with a time zone, as every time in the API is written. */
export const isoDateTime = z.iso.datetime({ offset: true });

export const recipientOutcome = z.enum(['sent', 'failed', 'bounced', 'skipped']);
export const campaignState = z.enum(['running', 'paused', 'completed', 'failed', 'cancelled']);
const count = z.number().int().nonnegative();

/**
 * Identifiers a worker chooses (batch ids, event ids): 1–200 printable ASCII characters, so they are safe in a
 * header, a log line and a database key.
 */
export const identifier = z
  .string()
  // One refinement, not .min/.max/.regex(): one problem per bad id, with its message as written.
  .refine((id) => /^[\x21-\x7e]{1,200}$/.test(id), {
    message: 'expected 1-200 printable ASCII characters without spaces',
  });

/**
 * A campaign id: 1–200 characters from the URL's unreserved set (letters, digits, `.`, `_`, `~`, `-`), starting with
 * a letter or a digit, so it is one path segment as it stands (no `/`, no `..`, nothing to escape) and safe in a
 * header, a log line, a file name and a database key. `@scope/scheduler` checks the same rule at `record()`.
 */
export const campaignId = z.string().refine((id) => /^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$/.test(id), {
  message: 'expected 1-200 letters, digits, ".", "_", "~" or "-", starting with a letter or digit',
});

/**
 * One recipient's outcome. `eventId` names this one event for good: the server applies an event id once per
 * campaign, so an event re-sent in another batch (after a batch of unknown fate was split) is not applied
 * twice. Legacy workers send none.
 */
export const recipientEvent = z.strictObject({
  eventId: identifier.optional(),
  recipientId: z.string().min(1),
  email: z.string().optional(),
  outcome: recipientOutcome,
  at: isoDateTime,
  messageId: z.string().optional(),
  error: z.string().optional(),
});

/** A campaign's progress; `seq` rises with every change, so a stale status can be refused. */
export const campaignStatus = z.strictObject({
  state: campaignState,
  sent: count,
  failed: count,
  total: count,
  seq: count,
  updatedAt: isoDateTime,
});

/** `POST /api/campaigns/:id/events` */
export const legacyEventsBody = z.strictObject({ events: z.array(recipientEvent) });

/** `PUT /api/campaigns/:id/status` */
export const legacyStatusBody = campaignStatus;

/**
 * A worker's owner epoch for a campaign: raised at every take-over of the campaign by a fleet, so a server that fences
 * refuses (412) an update whose epoch is older than the newest it has seen. Legacy requests carry it in the
 * `X-Owner-Epoch` header.
 */
export const ownerEpoch = z.number().int().nonnegative();

/** One campaign's part of a bulk update; `ownerEpoch` is optional (workers outside a fleet send none). */
export const campaignUpdate = z.strictObject({
  campaignId,
  events: z.array(recipientEvent),
  status: campaignStatus.optional(),
  ownerEpoch: ownerEpoch.optional(),
});

/** `POST /api/updates`, with header `Idempotency-Key: <batchId>`. */
export const bulkUpdateBody = z.strictObject({
  workerId: z.string().min(1),
  batchId: identifier,
  campaigns: z.array(campaignUpdate).min(1),
});

/** A per-campaign instruction a server may return with an acknowledgement. */
export const campaignControl = z.strictObject({
  campaignId,
  state: z.enum(['running', 'paused', 'cancelled']),
});

/** The answer to `POST /api/updates`: how many events were applied, and whether the batch was a repeat. */
export const bulkUpdateResponse = z.strictObject({
  accepted: count,
  duplicate: z.boolean(),
  control: z.array(campaignControl).optional(),
});

/** A campaign waiting for (or run by) a worker. */
export const campaign = z.strictObject({
  id: campaignId,
  name: z.string(),
  emailsPerMinute: z.number().positive(),
  total: count,
  state: z.enum(['ready', 'running', 'paused', 'completed', 'failed', 'cancelled']),
  from: z.string().min(1),
  subject: z.string(),
  body: z.string(),
});

/** `GET /api/campaigns?state=ready` */
export const campaignList = z.strictObject({ campaigns: z.array(campaign) });

/** One recipient of a campaign. */
export const recipient = z.strictObject({
  id: z.string().min(1),
  email: z.string().min(3),
  name: z.string().optional(),
});

/** `GET /api/campaigns/:id/recipients?cursor=`: a page, and the cursor of the next one (null at the end). */
export const recipientPage = z.strictObject({
  recipients: z.array(recipient),
  nextCursor: z.string().nullable(),
});

/** The error body of a refused request. */
export const errorBody = z.strictObject({ error: z.string() });
