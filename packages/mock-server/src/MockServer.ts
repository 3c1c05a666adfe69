import type { RequestHandler } from 'msw';
import { type DemoCampaign, type DemoOptions, demoCampaigns } from './demo-data.js';
import { checkFaults, decideFault, type FaultDecision, type FaultOptions } from './faults.js';
import { createHandlers } from './handlers/index.js';
import { seededRandom } from './random.js';
import { MockServerState } from './state.js';

/** Options of {@link createMockServer}. */
export interface MockServerOptions {
  /** Seeds the demo data and the faults. @default 42 */
  readonly seed?: number;
  /** The campaigns it serves: demo options, or your own. @default 4 demo campaigns, one per speed class */
  readonly campaigns?: DemoOptions | readonly DemoCampaign[];
  /** Faults to inject from the start. @default none */
  readonly faults?: FaultOptions;
  /** How long an injected hang lasts before a 504. @default 600000 */
  readonly hangMs?: number;
}

/** A mock main server: its state, its msw handlers, and its faults. */
export interface MockServer {
  readonly state: MockServerState;
  readonly handlers: RequestHandler[];
  readonly faults: FaultOptions;
  readonly hangMs: number;
  /** When it started (ms since the epoch, read from `Date.now`, so fake timers drive it). */
  readonly startedAt: number;
  /** Replaces the faults. @throws RangeError naming a bad field. */
  setFaults(faults: FaultOptions): void;
  /** The fault of one request (used by the handlers). */
  decideFault(request: { endpoint: string; bytes: number; now: number }): FaultDecision;
}

/**
 * Creates the mock main server: serve it in-process with {@link startInProcess} or over HTTP with
 * {@link listenHttp}.
 *
 * @example
 * ```ts
 * const mock = createMockServer({ faults: { outages: [{ fromMs: 60_000, toMs: 120_000 }] } });
 * const stop = startInProcess(mock);
 * // ... fetch('http://main.mock/api/campaigns?state=ready') ...
 * console.log(mock.state.summary());
 * stop();
 * ```
 */
export function createMockServer(options: MockServerOptions = {}): MockServer {
  const seed = options.seed ?? 42;
  const demo = Array.isArray(options.campaigns)
    ? (options.campaigns as readonly DemoCampaign[])
    : demoCampaigns({ seed, ...(options.campaigns as DemoOptions | undefined) });
  const random = seededRandom(seed ^ 0x5eed);
  let faults = checkFaults({ ...(options.faults ?? {}) });
  const startedAt = Date.now();
  const mock: MockServer = {
    state: new MockServerState(demo),
    handlers: [],
    get faults() {
      return faults;
    },
    hangMs: options.hangMs ?? 600_000,
    startedAt,
    setFaults(next) {
      faults = checkFaults({ ...next });
    },
    decideFault({ endpoint, bytes, now }) {
      return decideFault(faults, { endpoint, bytes, now, elapsedMs: now - startedAt }, random);
    },
  };
  mock.handlers.push(...createHandlers(mock));
  return mock;
}
