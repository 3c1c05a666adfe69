/** When a campaign's sends are failing too much to go on: its most recent sends, and the share of them that may fail. */
export interface FailureLimit {
  /** Above this share of failed sends in the window, the campaign is paused (1: never). */
  readonly maxFailureRate: number;
  /** How many of the most recent sends are judged. */
  readonly failureWindow: number;
}

/** The most recent outcomes (true: the send failed), newest last, at most `failureWindow` of them. */
export function recentSends(recent: readonly boolean[], failed: boolean, limit: FailureLimit): boolean[] {
  return [...recent, failed].slice(-limit.failureWindow);
}

/**
 * Whether the window is full and more than `maxFailureRate` of it failed. Only `failed` counts (no answer, or a
 * temporary refusal): a bounce is the mail server working and refusing one address.
 */
export function failingTooMuch(recent: readonly boolean[], limit: FailureLimit): boolean {
  if (recent.length < limit.failureWindow) return false;
  return recent.filter(Boolean).length / recent.length > limit.maxFailureRate;
}
