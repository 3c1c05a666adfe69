/**
 * Exponential backoff with full jitter (as in AWS's "Exponential Backoff and Jitter"): attempt n waits a random
 * time in [0, min(cap, base × 2^(n-1))). Jitter spreads the retries of many workers so an outage does not end
 * in a synchronized retry storm.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 52));
  return Math.floor(random() * ceiling);
}
