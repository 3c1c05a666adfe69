import { checkKnownKeys, checkNumber, checkObject, checkString, describeValue } from './common/check.js';
import type { CampaignState, RecipientEvent, StatusUpdate } from './types.js';

/** Registration of a campaign: its configured rate and size, both optional. */
export interface CampaignRegistration {
  /** The campaign's configured rate; without it the interval follows the measured rate. */
  readonly emailsPerMinute?: number;
  /** How many recipients it has. */
  readonly total?: number;
}

const TERMINAL: ReadonlySet<CampaignState> = new Set(['completed', 'failed', 'cancelled']);
const STATES: ReadonlySet<string> = new Set(['running', 'paused', 'completed', 'failed', 'cancelled']);

/** Whether a campaign in this state is done (completed, failed or cancelled). */
export function isTerminal(state: CampaignState): boolean {
  return TERMINAL.has(state);
}

/** Checks the campaign id every public method takes. */
export function checkCampaignId(campaignId: unknown): asserts campaignId is string {
  checkString('campaignId', campaignId);
}

/** Checks a registration; errors name the field. */
export function checkRegistration(registration: unknown): asserts registration is CampaignRegistration {
  if (registration === undefined) return;
  checkObject('registration', registration);
  checkKnownKeys('registration', registration, ['emailsPerMinute', 'total']);
  if (registration.emailsPerMinute !== undefined) {
    checkNumber('registration.emailsPerMinute', registration.emailsPerMinute, { min: 0 });
  }
  if (registration.total !== undefined)
    checkNumber('registration.total', registration.total, { min: 0, integer: true });
}

/**
 * Checks a recipient event on the hot path: cheap type and shape tests, no allocation. Errors name the field
 * and the value (`event.outcome: expected one of sent|failed|bounced|skipped, got "ok"`).
 */
export function checkEvent(event: RecipientEvent): void {
  if (typeof event !== 'object' || event === null) {
    throw new TypeError(`Expected \`event\` to be an object, got ${describeValue(event)}`);
  }
  const { recipientId, outcome, at } = event;
  if (typeof recipientId !== 'string' || recipientId.length === 0) {
    throw new TypeError(`Expected \`event.recipientId\` to be a non-empty string, got ${describeValue(recipientId)}`);
  }
  if (outcome !== 'sent' && outcome !== 'failed' && outcome !== 'bounced' && outcome !== 'skipped') {
    throw new TypeError(
      `Expected \`event.outcome\` to be one of sent|failed|bounced|skipped, got ${describeValue(outcome)}`,
    );
  }
  // An ISO 8601 date-time: "2026-11-28T18:00:00Z" at least; checked by shape, not parsed, to stay cheap.
  if (typeof at !== 'string' || at.length < 20 || at.charCodeAt(4) !== 45 || at.charCodeAt(10) !== 84) {
    throw new TypeError(`Expected \`event.at\` to be an ISO 8601 date-time string, got ${describeValue(at)}`);
  }
  const { email, messageId, error } = event;
  if (email !== undefined && typeof email !== 'string') {
    throw new TypeError(`Expected \`event.email\` to be a string, got ${describeValue(email)}`);
  }
  if (messageId !== undefined && typeof messageId !== 'string') {
    throw new TypeError(`Expected \`event.messageId\` to be a string, got ${describeValue(messageId)}`);
  }
  if (error !== undefined && typeof error !== 'string') {
    throw new TypeError(`Expected \`event.error\` to be a string, got ${describeValue(error)}`);
  }
}

/** Checks a status update; errors name the field. */
export function checkStatus(status: unknown): asserts status is StatusUpdate {
  checkObject('status', status);
  checkKnownKeys('status', status, ['state', 'sent', 'failed', 'total', 'seq', 'updatedAt']);
  if (typeof status.state !== 'string' || !STATES.has(status.state)) {
    throw new TypeError(
      `Expected \`status.state\` to be one of running|paused|completed|failed|cancelled, got ${describeValue(status.state)}`,
    );
  }
  for (const field of ['sent', 'failed', 'total'] as const) {
    checkNumber(`status.${field}`, status[field], { min: 0, integer: true });
  }
  if (status.seq !== undefined) checkNumber('status.seq', status.seq, { min: 0, integer: true });
  if (
    status.updatedAt !== undefined &&
    (typeof status.updatedAt !== 'string' || Number.isNaN(Date.parse(status.updatedAt)))
  ) {
    throw new TypeError(
      `Expected \`status.updatedAt\` to be an ISO 8601 date-time string, got ${describeValue(status.updatedAt)}`,
    );
  }
}
