import type { RequestLogEntry } from './state.js';

/** The server's load, as `GET /__mock/summary` reports it. */
export interface LoadSummary {
  readonly requests: number;
  readonly requestsPerMinute: number;
  /** The most requests that arrived within any 15 s window. */
  readonly peak15s: number;
  readonly peakConcurrency: number;
  readonly minGapMs: number | null;
  readonly bytes: number;
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly eventsApplied: number;
  /**
   * Events applied again for a recipient already applied: a real duplicate at the server, the bad thing. Only
   * possible for events the server cannot tell apart (no batch id or key, no event id), or a recipient reported
   * twice under two event ids.
   */
  readonly duplicateEvents: number;
  /** Events skipped because their `eventId` was already applied for their campaign (not applied, not accepted). */
  readonly deduplicatedEvents: number;
  /** Requests repeated with a known batch id or `Idempotency-Key` and the same body: acknowledged, not applied. */
  readonly duplicateBatches: number;
  /** Statuses with the seq and the content of the one held: a repeat, acknowledged. */
  readonly duplicateStatuses: number;
  /** Statuses older (by seq) than the one held, or of its seq with other content: not kept. */
  readonly staleStatuses: number;
  /** Updates refused 412 because their owner epoch was older than the newest seen for the campaign (fencing). */
  readonly fencedUpdates: number;
  readonly durationMs: number;
}

/** What the state counts besides the log. */
export type StateCounts = Pick<
  LoadSummary,
  | 'peakConcurrency'
  | 'eventsApplied'
  | 'duplicateEvents'
  | 'deduplicatedEvents'
  | 'duplicateBatches'
  | 'duplicateStatuses'
  | 'staleStatuses'
  | 'fencedUpdates'
>;

/** The most of `times` (ascending, ms) that fall within any sliding window `[t, t + windowMs)`. */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** The load summary over the log entries of the given endpoints, with the state's counts. */
export function summarize(log: readonly RequestLogEntry[], endpoints: readonly string[], counts: StateCounts) {
  const requests = log.filter((entry) => endpoints.includes(entry.endpoint));
  const times = requests.map((entry) => entry.at);
  const first = times[0];
  const last = times.at(-1);
  const durationMs = first === undefined || last === undefined ? 0 : last - first;
  const peak15s = peakInWindow(times, 15_000);
  let minGapMs: number | null = null;
  for (let i = 1; i < times.length; i++) {
    minGapMs = Math.min(minGapMs ?? Number.POSITIVE_INFINITY, (times[i] as number) - (times[i - 1] as number));
  }
  const tally = (key: (entry: RequestLogEntry) => string) =>
    requests.reduce<Record<string, number>>((acc, entry) => {
      acc[key(entry)] = (acc[key(entry)] ?? 0) + 1;
      return acc;
    }, {});
  const summary: LoadSummary = {
    requests: requests.length,
    requestsPerMinute: durationMs > 0 ? (requests.length / durationMs) * 60_000 : requests.length,
    peak15s,
    peakConcurrency: counts.peakConcurrency,
    minGapMs,
    bytes: requests.reduce((sum, entry) => sum + entry.bytes, 0),
    byEndpoint: tally((entry) => entry.endpoint),
    byStatus: tally((entry) => String(entry.status)),
    eventsApplied: counts.eventsApplied,
    duplicateEvents: counts.duplicateEvents,
    deduplicatedEvents: counts.deduplicatedEvents,
    duplicateBatches: counts.duplicateBatches,
    duplicateStatuses: counts.duplicateStatuses,
    staleStatuses: counts.staleStatuses,
    fencedUpdates: counts.fencedUpdates,
    durationMs,
  };
  return summary;
}
