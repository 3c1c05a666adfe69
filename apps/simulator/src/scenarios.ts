import type { FaultOptions } from '@scope/mock-server';

/** A situation to measure: how many workers, the rates of each worker's campaigns, how long, and the server's faults. */
export interface Scenario {
  readonly name: string;
  readonly minutes: number;
  readonly workers: number;
  /** Rates (emails per minute) of the campaigns of each worker. */
  readonly rates: readonly number[];
  readonly faults?: FaultOptions;
}

const mix = Array.from({ length: 20 }, (_, i) => [10, 40, 100, 300][i % 4] as number);

/** The scenarios of `pnpm simulate`: each speed class alone, a 20-campaign mix, an outage, a slow server, a fleet. */
export const SCENARIOS: readonly Scenario[] = [
  { name: '10/min alone', minutes: 60, workers: 1, rates: [10] },
  { name: '40/min alone', minutes: 60, workers: 1, rates: [40] },
  { name: '100/min alone', minutes: 60, workers: 1, rates: [100] },
  { name: '300/min alone', minutes: 60, workers: 1, rates: [300] },
  { name: '20 campaigns, mixed', minutes: 60, workers: 1, rates: mix },
  {
    name: '10-minute outage',
    minutes: 30,
    workers: 1,
    rates: [10, 40, 100, 300],
    faults: { outages: [{ fromMs: 5 * 60_000, toMs: 15 * 60_000 }] },
  },
  {
    name: 'slow server (2 s, 429s)',
    minutes: 30,
    workers: 1,
    rates: [40, 100, 300],
    faults: { latencyMs: 2_000, throttleRate: 0.2, retryAfterSeconds: 30 },
  },
  { name: 'fleet of 200 workers', minutes: 5, workers: 200, rates: [40] },
];
