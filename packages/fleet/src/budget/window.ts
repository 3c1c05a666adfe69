/** What a budget rule says of one request now: go, or wait this long before asking again. */
export type WindowDecision = { readonly grant: true } | { readonly grant: false; readonly waitMs: number };

/**
 * The sliding-log rule, pure: a request may go at `now` when fewer than `limit` of `grants` (times, ascending) lie
 * in the last `windowMs` (`(now - windowMs, now]`), so at most `limit` fall in any window of that length; otherwise
 * it waits until the oldest of them leaves the window. A limit of 0 never grants: it waits a whole window.
 *
 * @example
 * ```ts
 * slidingWindow([0, 100], 150, 2, 1000); // { grant: false, waitMs: 851 }
 * ```
 */
export function slidingWindow(grants: readonly number[], now: number, limit: number, windowMs: number): WindowDecision {
  if (limit <= 0) return { grant: false, waitMs: windowMs };
  let first = 0;
  while (first < grants.length && (grants[first] as number) <= now - windowMs) first++;
  const inWindow = grants.length - first;
  if (inWindow < limit) return { grant: true };
  const oldest = grants[grants.length - limit] as number;
  return { grant: false, waitMs: oldest + windowMs - now + 1 };
}

/** The grants still inside the last window at `now` (for keeping a local log short). */
export function trimWindow(grants: number[], now: number, windowMs: number): void {
  let first = 0;
  while (first < grants.length && (grants[first] as number) <= now - windowMs) first++;
  if (first > 0) grants.splice(0, first);
}
