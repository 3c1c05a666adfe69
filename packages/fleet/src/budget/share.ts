/**
 * A worker's static share of the fleet budget while Redis is down, pure: ⌊budget / members⌋ requests per window,
 * over the members it last saw (itself included). When that is 0 (more members than requests), the first `budget`
 * members by id get 1 each and the others 0, so the fleet still stays within the budget; a worker that never saw
 * the members (it could not reach Redis since it started) gets 0. A share of 0 means: wait for Redis.
 *
 * @example
 * ```ts
 * localShare(10, ['a', 'b', 'c'], 'b'); // 3
 * localShare(2, ['a', 'b', 'c'], 'c'); // 0: 'a' and 'b' get 1 each
 * ```
 */
export function localShare(budget: number, members: readonly string[] | undefined, self: string): number {
  if (members === undefined) return 0;
  const all = members.includes(self) ? [...members] : [...members, self];
  const share = Math.floor(budget / all.length);
  if (share > 0) return share;
  all.sort();
  return all.indexOf(self) < budget ? 1 : 0;
}

/**
 * What a worker whose Redis is down may send, pure: nothing until one window after it found Redis down (the fleet's
 * grants of the window before are unknown to it, and may have used the whole budget), then its share per sliding
 * window, and never during a pause (a Retry-After it saw).
 */
export function fallbackWait(input: {
  readonly now: number;
  readonly downSince: number;
  readonly windowMs: number;
  readonly pausedUntil: number;
}): number {
  const { now, downSince, windowMs, pausedUntil } = input;
  return Math.max(0, downSince + windowMs - now, pausedUntil - now);
}
