/**
 * ioredis options that suit fleet mode: reconnect every 200 ms at most (so a member finds Redis back within about a
 * second), no offline queue (a call made while disconnected fails at once instead of waiting: the budget falls back
 * to its static share), and connect at once.
 *
 * @example
 * ```ts
 * const redis = new Redis(process.env.REDIS_URL, fleetRedisOptions);
 * ```
 */
export const fleetRedisOptions = {
  retryStrategy: (times: number) => Math.min(times * 50, 200),
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  lazyConnect: false,
} as const;
