/** What the dispatcher knows of the requests it made, for {@link nextRequestAt}. */
export interface RequestState {
  readonly inFlight: number;
  /** When the last request started (−∞ before the first). */
  readonly lastStartAt: number;
  /** The end of the longest `Retry-After` seen, already capped (−∞ if none). */
  readonly retryAfterUntil: number;
  /** When the breaker lets the next request through (`now` when closed, +∞ while a probe runs). */
  readonly breakerAt: number;
}

export interface SpacingRules {
  readonly minIntervalMs: number;
  readonly maxConcurrent: number;
}

/**
 * The earliest a request may start: `minIntervalMs` after the last one started, after any `Retry-After`, when the
 * breaker allows; +∞ while `maxConcurrent` are in flight. The spacing is never stretched for a slow server: the
 * stretch lengthens the waits of campaigns that are not full (in the due index), so a full batch, a flush and a
 * terminal status still go at the base pace and slowness cannot starve delivery.
 */
export function nextRequestAt(state: RequestState, now: number, rules: SpacingRules): number {
  if (state.inFlight >= rules.maxConcurrent) return Number.POSITIVE_INFINITY;
  return Math.max(now, state.lastStartAt + rules.minIntervalMs, state.retryAfterUntil, state.breakerAt);
}

/**
 * When the next request should start: when something wants to go (a retry ready, a campaign due) and a request
 * may start; +∞ when nothing wants to go.
 */
export function nextSendAt(wantAt: number, requestAt: (now: number) => number, now: number): number {
  if (wantAt === Number.POSITIVE_INFINITY) return wantAt;
  return Math.max(wantAt, requestAt(now));
}

/**
 * When to wake after a pump that sent nothing more: at `sendAt` if that is still ahead; if it had come but nothing
 * could go after all (every ready batch waits behind another of its campaigns), at the next retry, never sooner
 * than the next millisecond, so the timer cannot spin; +∞ (no timer) when nothing waits.
 */
export function nextWakeAt(sendAt: number, nextRetryAt: number, now: number): number {
  if (sendAt > now) return sendAt;
  return Math.max(nextRetryAt, now + 1);
}
