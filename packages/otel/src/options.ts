import type { Attributes, Meter } from '@opentelemetry/api';

/** Options of {@link instrumentScheduler}. */
export interface InstrumentOptions {
  /** The meter the instruments are made on: `metrics.getMeter('my-worker')` or a `MeterProvider`'s. Required. */
  readonly meter: Meter;
  /**
   * Report `scheduler.campaign.staleness`, one time series per campaign (attribute `campaign.id`). A worker runs
   * a bounded number of campaigns at once and a finished campaign stops being reported, but every campaign that
   * ever ran is a series to the backend: turn this off when campaigns are many and short.
   * @default true
   */
  readonly perCampaign?: boolean;
  /**
   * Attributes set on every measurement, to tell apart several schedulers of one process (e.g. `{ 'worker.id': id }`).
   * @default {}
   */
  readonly attributes?: Attributes;
}

/** The options after defaults, checked. */
export type ResolvedInstrumentOptions = Required<InstrumentOptions>;

const defaultOptions = { perCampaign: true, attributes: {} } as const;

const known = new Set(['meter', 'perCampaign', 'attributes']);

/**
 * Merges the options over the defaults and refuses a bad one with an error naming it.
 *
 * @throws TypeError for a missing or wrong option, or an unknown one.
 */
export function resolveInstrumentOptions(options: InstrumentOptions): ResolvedInstrumentOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got \`${String(options)}\``);
  }
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`Unknown option \`${key}\`; known: ${[...known].join(', ')}`);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const o = { ...defaultOptions, ...defined } as ResolvedInstrumentOptions;
  if (typeof o.meter?.createCounter !== 'function' || typeof o.meter.addBatchObservableCallback !== 'function') {
    throw new TypeError('Expected `meter` to be an OpenTelemetry Meter (from `metrics.getMeter(name)`)');
  }
  if (typeof o.perCampaign !== 'boolean') {
    throw new TypeError(`Expected \`perCampaign\` to be a boolean, got \`${String(o.perCampaign)}\``);
  }
  if (typeof o.attributes !== 'object' || o.attributes === null || Array.isArray(o.attributes)) {
    throw new TypeError('Expected `attributes` to be an object of attribute names and values');
  }
  return o;
}
