import type { MockServer, RequestLogEntry } from '@scope/mock-server';
import { intervalForRate } from '@scope/scheduler';
import type { Scenario } from './scenarios.js';

/** What one variant did in one scenario, as the server saw it. */
export interface Measurement {
  readonly scenario: string;
  readonly variant: string;
  readonly requests: number;
  readonly requestsPerMinute: number;
  readonly peak15s: number;
  readonly minGapMs: number | null;
  readonly maxInFlight: number;
  /** Events the workers recorded (emails sent) in the run, and how many the scenario planned. */
  readonly recorded: number;
  readonly planned: number;
  /** Whether every worker finished its campaigns and let go within the run (else it was cut off). */
  readonly finished: boolean;
  /** How long the run went, in minutes (the scenario's time, plus delivering what was left). */
  readonly minutes: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly stalenessP50Ms: number | null;
  readonly stalenessP99Ms: number | null;
  /** p99 staleness per speed class (emails per minute), each to be held against its class interval. */
  readonly stalenessP99ByRate: Readonly<Record<string, number | null>>;
  readonly lowerBound: number;
  /** Events per request that carried events: the largest, and the mean. */
  readonly maxBatch: number;
  readonly meanBatch: number;
  /** Update requests started in each minute of the run. */
  readonly perMinute: readonly number[];
  /**
   * Events the workers had recorded and the server did not hold yet, at the end of each minute of the run: a
   * backlog waiting to be delivered, and (where the worker dropped them) the events lost, which never arrive.
   */
  readonly pendingPerMinute: readonly number[];
}

const UPDATES = ['bulk', 'events', 'status'];

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/**
 * The fewest requests that could carry a worker's updates: max(ceil(events / maxBatchEvents), duration / interval).
 * A bulk request carries up to 100 events of each campaign, so the events term is the busiest campaign's, and the
 * interval term is the fastest campaign's; summed over the workers. For one campaign it is the formula as stated.
 */
export function lowerBound(scenario: Scenario): number {
  const busiest = Math.max(...scenario.rates) * scenario.minutes;
  const interval = Math.min(...scenario.rates.map((rate) => intervalForRate(rate)));
  const perWorker = Math.max(Math.ceil(busiest / 100), Math.ceil((scenario.minutes * 60_000) / interval));
  return perWorker * scenario.workers;
}

export function measure(
  scenario: Scenario,
  variant: string,
  mock: MockServer,
  startedAt: number,
  run: {
    recorded: number;
    planned: number;
    finished: boolean;
    minutes: number;
    /** Events recorded by the end of each minute (cumulative), one entry per minute of the run. */
    recordedByMinute?: readonly number[];
  },
): Measurement {
  const { recorded } = run;
  const updates = mock.state.log.filter((entry: RequestLogEntry) => UPDATES.includes(entry.endpoint));
  const summary = mock.state.summary(UPDATES);
  const unique = new Set<string>();
  const staleness: number[] = [];
  // Events that reached the server in each minute (the first arrival of each recipient's event).
  const deliveredInMinute = Array.from({ length: run.minutes }, () => 0);
  const byRate = new Map<number, number[]>();
  for (const [campaignId, events] of mock.state.events) {
    const times = mock.state.appliedAt.get(campaignId) ?? [];
    const rate = mock.state.campaigns.get(campaignId)?.emailsPerMinute ?? 0;
    const list = byRate.get(rate) ?? [];
    byRate.set(rate, list);
    events.forEach((event, i) => {
      const key = `${campaignId}/${event.recipientId}`;
      if (unique.has(key)) return;
      unique.add(key);
      const arrived = times[i] as number;
      const minute = Math.min(run.minutes - 1, Math.floor((arrived - startedAt) / 60_000));
      if (minute >= 0) deliveredInMinute[minute] = (deliveredInMinute[minute] ?? 0) + 1;
      const age = arrived - Date.parse(event.at);
      staleness.push(age);
      list.push(age);
    });
  }
  staleness.sort((a, b) => a - b);
  const stalenessP99ByRate = Object.fromEntries(
    [...byRate.entries()]
      .sort(([a], [b]) => a - b)
      .map(([rate, ages]) => [
        String(rate),
        percentile(
          ages.sort((a, b) => a - b),
          99,
        ),
      ]),
  );
  const perMinute = Array.from({ length: run.minutes }, () => 0);
  for (const entry of updates) {
    const minute = Math.min(run.minutes - 1, Math.floor((entry.at - startedAt) / 60_000));
    perMinute[minute] = (perMinute[minute] ?? 0) + 1;
  }
  let deliveredSoFar = 0;
  const pendingPerMinute = deliveredInMinute.map((delivered, minute) => {
    deliveredSoFar += delivered;
    const recordedByThen = run.recordedByMinute?.[minute] ?? recorded;
    return Math.max(0, recordedByThen - deliveredSoFar);
  });
  const carrying = updates.filter((entry) => entry.events > 0);
  return {
    scenario: scenario.name,
    variant,
    requests: updates.length,
    // Over the scenario's own time: what the server bears while the campaigns run.
    requestsPerMinute: updates.filter((e) => e.at - startedAt < scenario.minutes * 60_000).length / scenario.minutes,
    peak15s: summary.peak15s,
    minGapMs: summary.minGapMs,
    maxInFlight: summary.peakConcurrency,
    recorded,
    planned: run.planned,
    finished: run.finished,
    minutes: run.minutes,
    delivered: unique.size,
    lost: recorded - unique.size,
    duplicated: summary.duplicateEvents,
    stalenessP50Ms: percentile(staleness, 50),
    stalenessP99Ms: percentile(staleness, 99),
    stalenessP99ByRate,
    lowerBound: lowerBound(scenario),
    maxBatch: Math.max(0, ...carrying.map((entry) => entry.events)),
    meanBatch: carrying.length === 0 ? 0 : carrying.reduce((n, entry) => n + entry.events, 0) / carrying.length,
    perMinute,
    pendingPerMinute,
  };
}
