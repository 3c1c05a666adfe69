import { checkKnownKeys, checkNumber, checkObject, checkString, describeValue } from './common/check.js';
import { toIsoTime } from './common/time.js';
import type { CampaignState, CampaignStatus, RecipientEvent, RecipientEventInput, StatusUpdate } from './types.js';

/** Registration of a campaign: its configured rate and size, both optional. */
export interface CampaignRegistration {
  /** The campaign's configured rate; without it the interval follows the measured rate. */
  readonly emailsPerMinute?: number;
  /** How many recipients it has. */
  readonly total?: number;
  /**
   * This worker's owner epoch for the campaign, sent with every update of it (see `CampaignUpdate.ownerEpoch`):
   * set by a fleet on each take-over. An update already in a batch keeps the epoch it was taken with.
   */
  readonly ownerEpoch?: number;
}

/** The longest text a field of an event may hold (an SMTP error, an address, a message id). */
export const MAX_FIELD_LENGTH = 8192;

const TERMINAL: ReadonlySet<CampaignState> = new Set(['completed', 'failed', 'cancelled']);
const STATES: ReadonlySet<string> = new Set(['running', 'paused', 'completed', 'failed', 'cancelled']);
const EVENT_KEYS: ReadonlySet<string> = new Set([
  'eventId',
  'recipientId',
  'email',
  'outcome',
  'at',
  'messageId',
  'error',
]);
const STATUS_KEYS = ['state', 'sent', 'failed', 'total', 'seq', 'updatedAt'];
// The contract's identifier (event ids): 1–200 printable ASCII characters, safe in a header, a log line and a key.
const IDENTIFIER = /^[\x21-\x7e]{1,200}$/;
// The contract's campaign id: the URL's unreserved characters, starting with a letter or digit, one path segment.
const CAMPAIGN_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$/;

/** Whether a campaign in this state is done (completed, failed or cancelled). */
export function isTerminal(state: CampaignState): boolean {
  return TERMINAL.has(state);
}

/** Checks the campaign id every public method takes, by the contract's rule. */
export function checkCampaignId(campaignId: unknown): asserts campaignId is string {
  checkString('campaignId', campaignId);
  if (!CAMPAIGN_ID.test(campaignId as string)) {
    throw new TypeError(
      `Expected \`campaignId\` to be 1-200 letters, digits, ".", "_", "~" or "-", starting with a letter or digit, got ${describeValue(campaignId)}`,
    );
  }
}

/** Checks a registration; errors name the field. */
export function checkRegistration(registration: unknown): asserts registration is CampaignRegistration {
  if (registration === undefined) return;
  checkPlain('registration', registration);
  checkKnownKeys('registration', registration, ['emailsPerMinute', 'total', 'ownerEpoch']);
  if (registration.emailsPerMinute !== undefined) {
    checkNumber('registration.emailsPerMinute', registration.emailsPerMinute, { min: 0 });
  }
  if (registration.total !== undefined)
    checkNumber('registration.total', registration.total, { min: 0, integer: true });
  if (registration.ownerEpoch !== undefined) {
    checkNumber('registration.ownerEpoch', registration.ownerEpoch, { min: 0, integer: true });
  }
}

/**
 * Checks a recipient event and returns it as the wire carries it: only the contract's fields, `at` as an ISO
 * string, and an `eventId` (the caller's, or `newId()`). Refuses, naming the field, whatever the wire cannot carry
 * or the server would refuse: unknown keys, non-string fields, invalid dates, oversized text.
 */
export function toWireEvent(event: RecipientEventInput, newId: () => string): RecipientEvent {
  checkPlain('event', event);
  for (const key of Object.keys(event)) {
    if (!EVENT_KEYS.has(key))
      throw new TypeError(`Unknown field \`event.${key}\`; known: ${[...EVENT_KEYS].join(', ')}`);
  }
  const { eventId, recipientId, email, outcome, at, messageId, error } = event;
  if (eventId !== undefined && (typeof eventId !== 'string' || !IDENTIFIER.test(eventId))) {
    throw new TypeError(
      `Expected \`event.eventId\` to be 1-200 printable ASCII characters without spaces, got ${describeValue(eventId)}`,
    );
  }
  checkText('event.recipientId', recipientId, true);
  if (outcome !== 'sent' && outcome !== 'failed' && outcome !== 'bounced' && outcome !== 'skipped') {
    throw new TypeError(
      `Expected \`event.outcome\` to be one of sent|failed|bounced|skipped, got ${describeValue(outcome)}`,
    );
  }
  const wire: { -readonly [K in keyof RecipientEvent]: RecipientEvent[K] } = {
    eventId: eventId ?? newId(),
    recipientId,
    outcome,
    at: toIsoTime('event.at', at),
  };
  if (email !== undefined) wire.email = checkText('event.email', email, false);
  if (messageId !== undefined) wire.messageId = checkText('event.messageId', messageId, false);
  if (error !== undefined) wire.error = checkText('event.error', error, false);
  return wire;
}

/** A status update checked, with `updatedAt` (if given) as an ISO string; errors name the field. */
export function toCheckedStatus(status: StatusUpdate): Omit<CampaignStatus, 'seq' | 'updatedAt'> & {
  seq?: number;
  updatedAt?: string;
} {
  checkPlain('status', status);
  checkKnownKeys('status', status, STATUS_KEYS);
  if (typeof status.state !== 'string' || !STATES.has(status.state)) {
    throw new TypeError(
      `Expected \`status.state\` to be one of running|paused|completed|failed|cancelled, got ${describeValue(status.state)}`,
    );
  }
  for (const field of ['sent', 'failed', 'total'] as const) {
    checkNumber(`status.${field}`, status[field], { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  }
  const { state, sent, failed, total, seq, updatedAt } = status;
  if (seq !== undefined) checkNumber('status.seq', seq, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  return {
    state,
    sent,
    failed,
    total,
    ...(seq === undefined ? {} : { seq }),
    ...(updatedAt === undefined ? {} : { updatedAt: toIsoTime('status.updatedAt', updatedAt) }),
  };
}

/** A plain object (not an array, a class instance or a value with a forged prototype), or a TypeError naming it. */
function checkPlain(name: string, value: unknown): asserts value is Record<string, unknown> {
  checkObject(name, value);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(
      `Expected \`${name}\` to be a plain object, got an instance of ${prototype?.constructor?.name}`,
    );
  }
  if (Object.hasOwn(value, '__proto__') || Object.hasOwn(value, 'constructor')) {
    throw new TypeError(`Expected \`${name}\` to have no \`__proto__\` or \`constructor\` key`);
  }
}

function checkText(name: string, value: unknown, required: boolean): string {
  if (typeof value !== 'string' || (required && value.length === 0)) {
    throw new TypeError(
      `Expected \`${name}\` to be a ${required ? 'non-empty ' : ''}string, got ${describeValue(value)}`,
    );
  }
  if (value.length > MAX_FIELD_LENGTH) {
    throw new RangeError(`Expected \`${name}\` to be at most ${MAX_FIELD_LENGTH} characters, got ${value.length}`);
  }
  return value;
}
