/**
 * How many campaigns one worker takes at most, pure: an even share of the campaigns in the queue (running and
 * waiting) over the members last seen, rounded up, between 1 and `max`. Workers that each take no more than this
 * share the campaigns evenly; one that dies leaves its campaigns to the others once it has left the membership.
 *
 * @example
 * ```ts
 * fairShare({ campaigns: 10, members: 4, max: 50 }); // 3
 * ```
 */
export function fairShare(input: { campaigns: number; members: number; max: number }): number {
  const { campaigns, members, max } = input;
  const share = Math.ceil(campaigns / Math.max(1, members));
  return Math.max(1, Math.min(max, share));
}

/**
 * Jain's fairness index of a list of allocations, pure: 1 when every one is equal, 1/n when one holds everything.
 *
 * @example
 * ```ts
 * jainIndex([3, 3, 3]); // 1
 * ```
 */
export function jainIndex(values: readonly number[]): number {
  const sum = values.reduce((a, b) => a + b, 0);
  const squares = values.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}
