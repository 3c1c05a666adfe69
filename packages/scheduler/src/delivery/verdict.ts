import type { AnswerKind } from '../resilience/health.js';
import type { TransportResult } from '../types.js';

/** What to do with a batch after its request ended. */
export type Verdict =
  | { readonly kind: 'acknowledged' }
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'split'; readonly reason: string }
  | { readonly kind: 'narrow'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

// The server may answer these later: wait and try the same batch again.
const RETRYABLE = new Set([408, 425, 429]);
// Refusals that may concern one campaign of a bulk batch only: split to find it and spare the others.
const NARROWABLE = new Set([400, 404, 409, 422]);

/** Reads an answer (or a thrown error) as a verdict on the batch. */
export function verdictOf(result: TransportResult | undefined, error: unknown): Verdict {
  if (result === undefined) return { kind: 'retry', reason: describeError(error), retryAfterMs: undefined };
  const { status, retryAfterMs } = result;
  const detail = result.message ? `: ${result.message}` : '';
  if (status >= 200 && status < 300) return { kind: 'acknowledged' };
  if (RETRYABLE.has(status) || status >= 500) return { kind: 'retry', reason: `HTTP ${status}${detail}`, retryAfterMs };
  if (status === 413) return { kind: 'split', reason: `HTTP 413 payload too large${detail}` };
  if (NARROWABLE.has(status)) return { kind: 'narrow', reason: `HTTP ${status}${detail}` };
  return { kind: 'refused', reason: `HTTP ${status}${detail}` };
}

/** How the answer counts for the breaker (`failure`) and for the server-health tracker. */
export function answerKind(result: TransportResult | undefined): { failure: boolean; health: AnswerKind } {
  if (result === undefined) return { failure: true, health: 'failed' };
  const { status } = result;
  if (status === 429 || status === 503) return { failure: true, health: 'throttled' };
  if (status === 408 || status === 425 || status >= 500) return { failure: true, health: 'failed' };
  return { failure: false, health: 'ok' };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? 'network error' : error.name}: ${error.message}`;
  return `network error: ${String(error)}`;
}
