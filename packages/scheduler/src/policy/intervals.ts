/** One row of the adaptive interval table: campaigns up to `maxEmailsPerMinute` report every `intervalMs`. */
export interface IntervalRule {
  /** The fastest rate of the class (Infinity for the last row). */
  readonly maxEmailsPerMinute: number;
  /** How long a campaign of the class lets its updates wait before they are due. */
  readonly intervalMs: number;
}

/**
 * The seed's adaptive table. A slow campaign has little to say, so it reports rarely; a fast one reports more
 * often so that its progress stays fresh, but never more than every 30 s.
 */
export const DEFAULT_INTERVAL_TABLE: readonly IntervalRule[] = [
  { maxEmailsPerMinute: 20, intervalMs: 120_000 },
  { maxEmailsPerMinute: 60, intervalMs: 90_000 },
  { maxEmailsPerMinute: 120, intervalMs: 45_000 },
  { maxEmailsPerMinute: Number.POSITIVE_INFINITY, intervalMs: 30_000 },
];

/**
 * How often a campaign sending `emailsPerMinute` reports, from the adaptive table: ≤20/min → 120 s,
 * 21–60 → 90 s, 61–120 → 45 s, >120 → 30 s.
 *
 * @example
 * ```ts
 * intervalForRate(10);  // 120000
 * intervalForRate(300); // 30000
 * ```
 * @throws RangeError when `emailsPerMinute` is negative or not a number.
 */
export function intervalForRate(
  emailsPerMinute: number,
  table: readonly IntervalRule[] = DEFAULT_INTERVAL_TABLE,
): number {
  if (typeof emailsPerMinute !== 'number' || !(emailsPerMinute >= 0)) {
    throw new RangeError(`Expected \`emailsPerMinute\` to be a number >= 0, got \`${String(emailsPerMinute)}\``);
  }
  for (const rule of table) {
    if (emailsPerMinute <= rule.maxEmailsPerMinute) return rule.intervalMs;
  }
  return (table.at(-1) as IntervalRule).intervalMs;
}

/**
 * A campaign's rate as measured from what it recorded: events since its first, per minute. Until a minute
 * has passed, the count is taken as the rate of that minute (a fresh campaign is not mistaken for a fast one).
 */
export function measuredRate(eventsRecorded: number, firstRecordedAt: number | undefined, now: number): number {
  if (firstRecordedAt === undefined || eventsRecorded === 0) return 0;
  const minutes = Math.max(1, (now - firstRecordedAt) / 60_000);
  return eventsRecorded / minutes;
}
