import { intervalForRate } from '@scope/scheduler';
import type { Measurement } from './metrics.js';

const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`);
const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${Math.round((1 - part / whole) * 100)}%`);

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Every scenario × variant, with the reduction against the legacy worker and the ratio to the lower bound. */
export function fullTable(results: readonly Measurement[]): string {
  const legacy = new Map(results.filter((m) => m.variant === 'legacy').map((m) => [m.scenario, m]));
  const lines = [
    row([
      'scenario',
      'variant',
      'requests',
      'per min',
      'peak 15 s',
      'min gap',
      'in flight',
      'delivered',
      'lost',
      'dup',
      'staleness p50',
      'p99',
      'lower bound',
      'ratio',
      'vs legacy',
    ]),
    row(Array.from({ length: 15 }, (_, i) => (i < 2 ? '---' : '---:'))),
  ];
  for (const m of results) {
    const base = legacy.get(m.scenario);
    const notes = m.finished ? '' : ` (cut off after ${m.minutes} min, ${m.recorded} of ${m.planned} sent)`;
    lines.push(
      row([
        m.scenario,
        `${m.variant}${notes}`,
        m.requests,
        m.requestsPerMinute.toFixed(2),
        m.peak15s,
        seconds(m.minGapMs),
        m.maxInFlight,
        m.delivered,
        m.lost,
        m.duplicated,
        seconds(m.stalenessP50Ms),
        seconds(m.stalenessP99Ms),
        m.lowerBound,
        (m.requests / m.lowerBound).toFixed(2),
        m.variant === 'legacy' || !base ? '' : `${percent(m.requests, base.requests)} fewer`,
      ]),
    );
  }
  return lines.join('\n');
}

/**
 * The optimized worker's p99 staleness per speed class, against the target: the class interval plus 15 s, on a
 * healthy server (the outage and slow-server scenarios are left out: there, waiting is the point).
 */
export function stalenessTable(results: readonly Measurement[]): string {
  const healthy = results.filter((m) => m.variant === 'optimized' && !/outage|slow/.test(m.scenario));
  const lines = [
    row(['scenario', ...RATES.map((rate) => `${rate}/min p99 (target)`)]),
    row(['---', ...RATES.map(() => '---:')]),
  ];
  for (const m of healthy) {
    lines.push(
      row([
        m.scenario,
        ...RATES.map((rate) => {
          const p99 = m.stalenessP99ByRate[String(rate)];
          return p99 === undefined || p99 === null
            ? ''
            : `${seconds(p99)} (${seconds(intervalForRate(rate) + 15_000)})`;
        }),
      ]),
    );
  }
  return lines.join('\n');
}

const RATES = [10, 40, 100, 300];

/** The seed's "Current vs Optimized" table, with measured numbers in place of promises. */
export function seedTable(results: readonly Measurement[]): string {
  const of = (scenario: string, variant: string) =>
    results.find((m) => m.scenario === scenario && m.variant === variant);
  const classes = ['10/min alone', '40/min alone', '100/min alone', '300/min alone'];
  const perHour = (variant: string) =>
    classes
      .map((name) => of(name, variant))
      .filter((m): m is Measurement => m !== undefined)
      .map((m) => m.requests);
  const range = (values: number[]) => (values.length === 0 ? '-' : `${Math.min(...values)}–${Math.max(...values)}`);
  const classRows = classes.map((name) => [of(name, 'legacy'), of(name, 'optimized')] as const);
  const reductions = classRows
    .filter(([l, o]) => l && o)
    .map(([l, o]) => Math.round((1 - (o as Measurement).requests / (l as Measurement).requests) * 100));
  // Spacing is a worker's own: measured where one worker talks to the server (a fleet's workers interleave).
  const gaps = (variant: string) =>
    results
      .filter((m) => m.variant === variant && !m.scenario.startsWith('fleet'))
      .map((m) => m.minGapMs ?? Number.POSITIVE_INFINITY);
  const batch = (variant: string) =>
    Math.max(0, ...results.filter((m) => m.variant === variant).map((m) => m.maxBatch));
  const outage = (variant: string) => of('10-minute outage', variant);
  const slow = (variant: string) => of('slow server (2 s, 429s)', variant);
  const mix = (variant: string) => of('20 campaigns, mixed', variant);
  const lines = [
    row(['metric', 'current (legacy)', 'hotfix (phase 1)', 'optimized (phase 2)', 'improvement']),
    row(['---', '---', '---', '---', '---']),
    row([
      'server requests per campaign-hour (10–300/min)',
      range(perHour('legacy')),
      range(perHour('hotfix')),
      range(perHour('optimized')),
      reductions.length ? `${Math.min(...reductions)}–${Math.max(...reductions)}% fewer` : '-',
    ]),
    row([
      'requests, 20 campaigns in one worker, 1 hour',
      mix('legacy')?.requests ?? '-',
      mix('hotfix') ? `${mix('hotfix')?.requests}${mix('hotfix')?.finished ? '' : ' (worker slowed down)'}` : '-',
      mix('optimized')?.requests ?? '-',
      mix('legacy') && mix('optimized')
        ? `${percent(mix('optimized')?.requests ?? 0, mix('legacy')?.requests ?? 0)} fewer`
        : '-',
    ]),
    row([
      'minimum interval between requests',
      seconds(Math.min(...gaps('legacy'))),
      seconds(Math.min(...gaps('hotfix'))),
      seconds(Math.min(...gaps('optimized'))),
      'server protection',
    ]),
    row(['largest batch (events per request)', batch('legacy'), batch('hotfix'), batch('optimized'), '']),
    row([
      'events lost in a 10-minute outage',
      outage('legacy')?.lost ?? '-',
      outage('hotfix')?.lost ?? '-',
      outage('optimized')?.lost ?? '-',
      'nothing lost',
    ]),
    row([
      'slow, throttling server: requests / lost',
      `${slow('legacy')?.requests ?? '-'} / ${slow('legacy')?.lost ?? '-'}`,
      `${slow('hotfix')?.requests ?? '-'} / ${slow('hotfix')?.lost ?? '-'}`,
      `${slow('optimized')?.requests ?? '-'} / ${slow('optimized')?.lost ?? '-'}`,
      'backs off, loses nothing',
    ]),
  ];
  return lines.join('\n');
}
