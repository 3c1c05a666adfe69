import { check } from '@scope/contract';
import { z } from 'zod';

/** Faults the mock server injects, all off by default. Rates are shares of requests, from 0 to 1. */
export interface FaultOptions {
  /** Added to every answer: a fixed time, or a random one in [min, max]. */
  latencyMs?: number | { readonly min: number; readonly max: number };
  /** Share of update requests answered with `errorStatus`. */
  errorRate?: number;
  /** @default 500 */
  errorStatus?: number;
  /** Share of update requests answered 429 or 503 with `Retry-After`. */
  throttleRate?: number;
  /** @default 429 */
  throttleStatus?: 429 | 503;
  /** @default 30 */
  retryAfterSeconds?: number;
  /** `Retry-After` as delay-seconds or as an HTTP date. @default 'seconds' */
  retryAfterFormat?: 'seconds' | 'date';
  /** Windows (ms from the server's start) in which every request fails. */
  outages?: ReadonlyArray<{ readonly fromMs: number; readonly toMs: number }>;
  /** How an outage fails a request: a network error, or a 503. @default 'network' */
  outageMode?: 'network' | 'status';
  /** Share of update requests that never get an answer (the client's timeout must end them). */
  hangRate?: number;
  /** Requests with a larger body are refused with 413. */
  maxBodyBytes?: number;
}

/** What happens to one request. */
export type FaultDecision =
  | { readonly kind: 'pass'; readonly latencyMs: number }
  | { readonly kind: 'network'; readonly latencyMs: number; readonly label: string }
  | { readonly kind: 'hang'; readonly latencyMs: number; readonly label: string }
  | {
      readonly kind: 'status';
      readonly latencyMs: number;
      readonly status: number;
      readonly retryAfter: string | undefined;
      readonly label: string;
    };

export interface RequestFacts {
  /** `bulk`, `events`, `status`, `intake` or `admin`. */
  readonly endpoint: string;
  readonly bytes: number;
  /** Ms since the server started. */
  readonly elapsedMs: number;
  readonly now: number;
}

const UPDATE_ENDPOINTS = new Set(['bulk', 'events', 'status']);

/**
 * Decides the fault of one request, the one place faults are decided. An outage fails everything but the admin
 * endpoints; errors, throttling and hangs hit the update endpoints, whose load is what is being measured.
 */
export function decideFault(faults: FaultOptions, request: RequestFacts, random: () => number): FaultDecision {
  const latencyMs = latencyOf(faults.latencyMs, random);
  if (request.endpoint === 'admin') return { kind: 'pass', latencyMs: 0 };
  const inOutage = (faults.outages ?? []).some((w) => request.elapsedMs >= w.fromMs && request.elapsedMs < w.toMs);
  if (inOutage) {
    return faults.outageMode === 'status'
      ? { kind: 'status', latencyMs, status: 503, retryAfter: undefined, label: 'outage' }
      : { kind: 'network', latencyMs, label: 'outage' };
  }
  if (faults.maxBodyBytes !== undefined && request.bytes > faults.maxBodyBytes) {
    return { kind: 'status', latencyMs, status: 413, retryAfter: undefined, label: 'too large' };
  }
  if (!UPDATE_ENDPOINTS.has(request.endpoint)) return { kind: 'pass', latencyMs };
  // One draw decides among the rates, so they add up as shares of the same requests.
  const roll = random();
  let edge = faults.hangRate ?? 0;
  if (roll < edge) return { kind: 'hang', latencyMs, label: 'hang' };
  edge += faults.throttleRate ?? 0;
  if (roll < edge) {
    const status = faults.throttleStatus ?? 429;
    const seconds = faults.retryAfterSeconds ?? 30;
    const retryAfter =
      faults.retryAfterFormat === 'date' ? new Date(request.now + seconds * 1000).toUTCString() : String(seconds);
    return { kind: 'status', latencyMs, status, retryAfter, label: `throttle ${status}` };
  }
  edge += faults.errorRate ?? 0;
  if (roll < edge) {
    const status = faults.errorStatus ?? 500;
    return { kind: 'status', latencyMs, status, retryAfter: undefined, label: `error ${status}` };
  }
  return { kind: 'pass', latencyMs };
}

function latencyOf(latency: FaultOptions['latencyMs'], random: () => number): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  return Math.round(latency.min + random() * (latency.max - latency.min));
}

const share = z.number().min(0).max(1);
const faultSchema = z.strictObject({
  latencyMs: z
    .union([z.number().min(0), z.strictObject({ min: z.number().min(0), max: z.number().min(0) })])
    .optional(),
  errorRate: share.optional(),
  errorStatus: z.number().int().min(400).max(599).optional(),
  throttleRate: share.optional(),
  throttleStatus: z.union([z.literal(429), z.literal(503)]).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  retryAfterFormat: z.enum(['seconds', 'date']).optional(),
  outages: z.array(z.strictObject({ fromMs: z.number().min(0), toMs: z.number().min(0) })).optional(),
  outageMode: z.enum(['network', 'status']).optional(),
  hangRate: share.optional(),
  maxBodyBytes: z.number().int().min(1).optional(),
});

/**
 * Checks fault options; a bad or unknown one is refused with an error naming it and its value.
 *
 * @throws RangeError naming the field.
 */
export function checkFaults(faults: unknown): FaultOptions {
  const checked = check(faultSchema, faults);
  if (!checked.ok) throw new RangeError(`fault ${checked.problems[0]}`);
  const value = checked.value as FaultOptions;
  const total = (value.errorRate ?? 0) + (value.throttleRate ?? 0) + (value.hangRate ?? 0);
  if (total > 1) throw new RangeError(`fault errorRate + throttleRate + hangRate: expected at most 1, got ${total}`);
  const latency = value.latencyMs;
  if (typeof latency === 'object' && latency.max < latency.min) {
    throw new RangeError(`fault latencyMs: expected max >= min, got ${JSON.stringify(latency)}`);
  }
  for (const [i, w] of (value.outages ?? []).entries()) {
    if (w.toMs <= w.fromMs)
      throw new RangeError(`fault outages[${i}]: expected toMs > fromMs, got ${JSON.stringify(w)}`);
  }
  return value;
}
