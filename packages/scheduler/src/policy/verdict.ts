import { isBatchEncodingError } from '../errors/BatchEncodingError.js';
import type { AnswerKind } from '../resilience/health.js';
import type { TransportResult } from '../types.js';

/** What an answer (or a thrown error) says of the batch. */
export type Verdict =
  /** The server applied it (or had already): a 2xx the transport read as the contract's acknowledgement. */
  | { readonly kind: 'acknowledged' }
  /** Its fate is unknown or the server asks for later: try the same batch again. */
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs: number | undefined }
  /** An answer that looks like success but acknowledges nothing (a login page, a 302): try again, within a limit. */
  | { readonly kind: 'invalid'; readonly reason: string }
  /** Too large: split it. */
  | { readonly kind: 'split'; readonly reason: string }
  /** Refused, perhaps for one campaign of several: split by campaign to find it. */
  | { readonly kind: 'narrow'; readonly reason: string }
  /** Refused for good. */
  | { readonly kind: 'refused'; readonly reason: string }
  /** Not sent: some of it cannot be encoded for the wire. */
  | { readonly kind: 'unencodable'; readonly reason: string; readonly campaignIds: readonly string[] };

// The server may answer these later: wait and try the same batch again. 409 is the Idempotency-Key draft's "a
// request with this key is still being processed": the batch may be applied, so it goes again as it was.
const RETRYABLE = new Set([408, 409, 425, 429]);
// Refusals that may concern one campaign of a bulk batch only: split to find it and spare the others. 412 is a
// fencing server's "another worker owns this campaign now" (an owner epoch older than the newest it has seen).
const NARROWABLE = new Set([400, 404, 412]);

/** Reads an answer (or a thrown error) as a verdict on the batch. */
export function verdictOf(result: TransportResult | undefined, error: unknown): Verdict {
  if (result === undefined) {
    if (isBatchEncodingError(error)) {
      return { kind: 'unencodable', reason: `not sent: ${error.message}`, campaignIds: error.campaignIds };
    }
    return { kind: 'retry', reason: describeError(error), retryAfterMs: undefined };
  }
  const { status, retryAfterMs } = result;
  const detail = result.message ? `: ${result.message}` : '';
  if (result.notAcknowledged !== undefined) {
    return { kind: 'invalid', reason: `HTTP ${status} is not an acknowledgement: ${result.notAcknowledged}` };
  }
  if (status >= 200 && status < 300) return { kind: 'acknowledged' };
  if (status >= 300 && status < 400) {
    return { kind: 'invalid', reason: `HTTP ${status} is not an acknowledgement: a redirect${detail}` };
  }
  if (RETRYABLE.has(status) || status >= 500) return { kind: 'retry', reason: `HTTP ${status}${detail}`, retryAfterMs };
  if (status === 413) return { kind: 'split', reason: `HTTP 413 payload too large${detail}` };
  if (status === 422) {
    // The Idempotency-Key draft's answer to a key reused with another body: a defect, and splitting would only
    // send more bodies under keys the server may have seen. Refused, and reported as such.
    return {
      kind: 'refused',
      reason: `HTTP 422${detail} (if the server follows the Idempotency-Key draft, this batch id was used before with another body: check createBatchId)`,
    };
  }
  if (NARROWABLE.has(status)) return { kind: 'narrow', reason: `HTTP ${status}${detail}` };
  return { kind: 'refused', reason: `HTTP ${status}${detail}` };
}

/** How the answer counts for the breaker (`failure`) and for the server-health tracker. */
export function answerKind(
  result: TransportResult | undefined,
  error: unknown,
): { failure: boolean; health: AnswerKind } {
  if (result === undefined) {
    // Nothing reached the server: it says nothing of its health.
    if (isBatchEncodingError(error)) return { failure: false, health: 'none' };
    return { failure: true, health: 'failed' };
  }
  const { status } = result;
  if (result.notAcknowledged !== undefined || (status >= 300 && status < 400))
    return { failure: true, health: 'failed' };
  if (status === 429 || status === 503) return { failure: true, health: 'throttled' };
  if (status === 408 || status === 425 || status >= 500) return { failure: true, health: 'failed' };
  return { failure: false, health: 'ok' };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? 'network error' : error.name}: ${error.message}`;
  return `network error: ${String(error)}`;
}
