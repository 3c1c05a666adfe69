import type { BatchObservableCallback, Observable } from '@opentelemetry/api';
import type { BreakerState, SchedulerStats, ServerUpdateScheduler } from '@scope/scheduler';
import { campaignStalenessGauge } from './campaignStaleness.js';
import { type InstrumentOptions, resolveInstrumentOptions } from './options.js';
import { outcomeOf } from './outcome.js';

/** What is read of a scheduler: its events, `stats()` and `campaignStats()`. */
export type InstrumentedScheduler = Pick<ServerUpdateScheduler, 'on' | 'stats' | 'campaignStats'>;

/** A scheduler's instruments, until stopped. */
export interface SchedulerInstrumentation {
  /** Stops measuring: the listener is removed and the gauges are no longer observed. Idempotent. */
  stop(): void;
}

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half-open', 'open'];

/** A metric with one number read from `stats()` at each collection: a counter (it only rises) or a gauge. */
interface StatMetric {
  readonly name: string;
  readonly kind: 'counter' | 'gauge';
  readonly description: string;
  readonly unit: string;
  readonly read: (stats: SchedulerStats) => number;
}

const STAT_METRICS: readonly StatMetric[] = [
  {
    name: 'scheduler.events.delivered',
    kind: 'counter',
    description: 'Recipient events acknowledged by the main server',
    unit: '{event}',
    read: (stats) => stats.eventsDelivered,
  },
  {
    name: 'scheduler.events.dead_lettered',
    kind: 'counter',
    description: 'Recipient events the main server refused for good',
    unit: '{event}',
    read: (stats) => stats.deadLettered,
  },
  {
    name: 'scheduler.retries',
    kind: 'counter',
    description: 'Requests that were retries of a batch',
    unit: '{request}',
    read: (stats) => stats.retries,
  },
  {
    name: 'scheduler.events.pending',
    kind: 'gauge',
    description: 'Recipient events recorded and not yet in a batch',
    unit: '{event}',
    read: (stats) => stats.pendingEvents,
  },
  {
    name: 'scheduler.events.unacknowledged',
    kind: 'gauge',
    description: 'Recipient events in batches sent or to be retried, not yet acknowledged',
    unit: '{event}',
    read: (stats) => stats.unacknowledgedEvents,
  },
  {
    name: 'scheduler.staleness',
    kind: 'gauge',
    description: 'Age of the oldest update not yet acknowledged by the main server (0 when none waits)',
    unit: 's',
    read: (stats) => seconds(stats.stalenessMs),
  },
];

/**
 * Reports a scheduler's figures as OpenTelemetry metrics on `meter`. Counters: `scheduler.requests` (by
 * `outcome`), `scheduler.events.delivered`, `scheduler.events.dead_lettered`, `scheduler.retries`. Gauges:
 * `scheduler.events.pending`, `scheduler.events.unacknowledged`, `scheduler.staleness` (seconds),
 * `scheduler.breaker.state` (1 for the current `state`, 0 for the others) and, unless `perCampaign` is false,
 * `scheduler.campaign.staleness` (seconds, by `campaign.id`). The gauges read `stats()` once per collection.
 *
 * @example
 * ```ts
 * const instrumentation = instrumentScheduler(scheduler, { meter: metrics.getMeter('turtle-worker') });
 * // at shutdown
 * instrumentation.stop();
 * ```
 * @throws TypeError for a missing `meter`, a wrong or unknown option, or a `scheduler` without `on`/`stats`.
 */
export function instrumentScheduler(
  scheduler: InstrumentedScheduler,
  options: InstrumentOptions,
): SchedulerInstrumentation {
  if (typeof scheduler?.on !== 'function' || typeof scheduler.stats !== 'function') {
    throw new TypeError('Expected `scheduler` to be a ServerUpdateScheduler');
  }
  const { meter, perCampaign, attributes } = resolveInstrumentOptions(options);

  const requests = meter.createCounter('scheduler.requests', {
    description: 'Requests to the main server that ended, by outcome',
    unit: '{request}',
  });
  const off = scheduler.on('response', (response) => {
    const status = response.status === undefined ? {} : { 'http.response.status_code': response.status };
    requests.add(1, { ...attributes, outcome: outcomeOf(response), ...status });
  });

  const fromStats = STAT_METRICS.map(({ name, kind, description, unit, read }) => ({
    instrument:
      kind === 'counter'
        ? meter.createObservableCounter(name, { description, unit })
        : meter.createObservableGauge(name, { description, unit }),
    read,
  }));
  const breaker = meter.createObservableGauge('scheduler.breaker.state', {
    description: 'Circuit breaker state: 1 for the current state, 0 for the others',
    unit: '1',
  });
  const campaignStaleness = perCampaign ? campaignStalenessGauge(meter, attributes) : undefined;
  const observables: Observable[] = [...fromStats.map(({ instrument }) => instrument), breaker];
  if (campaignStaleness !== undefined) observables.push(campaignStaleness.gauge);

  const observe: BatchObservableCallback = (result) => {
    const stats = scheduler.stats();
    for (const { instrument, read } of fromStats) result.observe(instrument, read(stats), attributes);
    for (const state of BREAKER_STATES) {
      result.observe(breaker, stats.breaker === state ? 1 : 0, { ...attributes, state });
    }
    campaignStaleness?.observe(result, scheduler.campaignStats());
  };
  meter.addBatchObservableCallback(observe, observables);

  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      off();
      meter.removeBatchObservableCallback(observe, observables);
    },
  };
}

function seconds(ms: number | undefined): number {
  return (ms ?? 0) / 1000;
}
