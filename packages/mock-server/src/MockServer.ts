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
  /** The campaigns it serves (and the only ones its update endpoints know): demo options, or your own. @default 4 demo campaigns, one per speed class */
  readonly campaigns?: DemoOptions | readonly DemoCampaign[];
  /** Faults to inject from the start. @default none */
  readonly faults?: FaultOptions;
  /** How long an injected hang lasts before a 504. @default 600000 */
  readonly hangMs?: number;
  /**
   * The largest request body the server takes, in bytes: a larger one is refused 413 as soon as its bytes go over
   * (counted as they stream in, never held). Not a fault: it is the server's own limit, before any fault applies.
   * @default 1048576 (1 MiB)
   */
  readonly bodyLimitBytes?: number;
  /**
   * Follow the IETF Idempotency-Key draft strictly: while a request with a key is being processed (under injected
   * latency, or a hang), another request with that key is answered 409 Conflict. Off, such a request waits its turn
   * and is answered as a repeat once the first applied.
   * @default false
   */
  readonly idempotencyDraft?: boolean;
}

/** A mock main server: its state, its msw handlers, and its faults. */
export interface MockServer {
  readonly state: MockServerState;
  readonly handlers: RequestHandler[];
  readonly faults: FaultOptions;
  readonly hangMs: number;
  /** The largest request body taken, in bytes. */
  readonly bodyLimitBytes: number;
  /** Whether a request with the key of one still being processed is answered 409. */
  readonly idempotencyDraft: boolean;
  /** When it started (ms since the epoch, read from `Date.now`, so fake timers drive it). */
  readonly startedAt: number;
  /** Replaces the faults. @throws RangeError naming a bad field. */
  setFaults(faults: FaultOptions): void;
  /** The fault of one request (used by the handlers). */
  decideFault(request: { endpoint: string; bytes: number; now: number }): FaultDecision;
}

const defaultOptions = {
  seed: 42,
  hangMs: 600_000,
  bodyLimitBytes: 1_048_576,
  idempotencyDraft: false,
} as const;

const KNOWN = new Set(['seed', 'campaigns', 'faults', 'hangMs', 'bodyLimitBytes', 'idempotencyDraft']);

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
 * @throws TypeError or RangeError naming an option that is wrong (or a campaign the contract refuses).
 */
export function createMockServer(options: MockServerOptions = {}): MockServer {
  checkOptions(options);
  const { seed, hangMs, bodyLimitBytes, idempotencyDraft } = { ...defaultOptions, ...options };
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
    hangMs,
    bodyLimitBytes,
    idempotencyDraft,
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

function checkOptions(options: MockServerOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected options to be an object, got \`${String(options)}\` (${typeof options})`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`Unknown option \`${key}\`; expected one of ${[...KNOWN].join(', ')}`);
  }
  integer('seed', options.seed);
  integer('hangMs', options.hangMs, 0);
  integer('bodyLimitBytes', options.bodyLimitBytes, 1);
  const draft = options.idempotencyDraft;
  if (draft !== undefined && typeof draft !== 'boolean') {
    throw new TypeError(`Expected \`idempotencyDraft\` to be a boolean, got \`${String(draft)}\` (${typeof draft})`);
  }
}

function integer(name: string, value: unknown, min?: number): void {
  if (value === undefined) return;
  const expected = `Expected \`${name}\` to be an integer${min === undefined ? '' : ` >= ${min}`}`;
  if (typeof value !== 'number') throw new TypeError(`${expected}, got \`${String(value)}\` (${typeof value})`);
  if (!Number.isSafeInteger(value) || (min !== undefined && value < min)) {
    throw new RangeError(`${expected}, got \`${value}\` (number)`);
  }
}
