import { backoffDelay } from '../resilience/backoff.js';
import type { Verdict } from './verdict.js';

/** What becomes of a batch after an answer. */
export type Decision =
  | { readonly kind: 'acknowledge' }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'split'; readonly reason: string }
  | { readonly kind: 'deadletter'; readonly reason: string }
  | { readonly kind: 'unencodable'; readonly reason: string; readonly campaignIds: readonly string[] };

/** The batch's history so far, this answer included. */
export interface Attempts {
  /** Requests made with the batch. */
  readonly attempt: number;
  /** Of those, answers that looked like success but acknowledged nothing. */
  readonly invalidAnswers: number;
  /** Campaigns the batch holds. */
  readonly campaigns: number;
}

export interface RetryRules {
  readonly maxAttempts: number;
  readonly maxInvalidAnswers: number;
  readonly backoffBaseMs: number;
  readonly maxBackoffMs: number;
  readonly maxRetryAfterMs: number;
}

/**
 * Retry, split or dead letter, from the verdict on an answer: pure, given the jitter (a number in [0, 1)). A
 * retry waits the full-jitter backoff, or the server's `Retry-After` if longer (capped by `maxRetryAfterMs`).
 */
export function decide(verdict: Verdict, attempts: Attempts, rules: RetryRules, jitter: number): Decision {
  switch (verdict.kind) {
    case 'acknowledged':
      return { kind: 'acknowledge' };
    case 'split':
      return { kind: 'split', reason: verdict.reason };
    case 'narrow':
      return attempts.campaigns > 1
        ? { kind: 'split', reason: verdict.reason }
        : { kind: 'deadletter', reason: verdict.reason };
    case 'refused':
      return { kind: 'deadletter', reason: verdict.reason };
    case 'unencodable':
      return verdict;
    case 'invalid':
      if (attempts.invalidAnswers >= rules.maxInvalidAnswers) {
        return {
          kind: 'deadletter',
          reason: `gave up after ${attempts.invalidAnswers} answers that were not acknowledgements; last: ${verdict.reason}`,
        };
      }
      return { kind: 'retry', delayMs: backoff(attempts.attempt, rules, jitter), reason: verdict.reason };
    case 'retry': {
      if (attempts.attempt >= rules.maxAttempts) {
        return { kind: 'deadletter', reason: `gave up after ${attempts.attempt} attempts; last: ${verdict.reason}` };
      }
      const asked = Math.min(verdict.retryAfterMs ?? 0, rules.maxRetryAfterMs);
      return {
        kind: 'retry',
        delayMs: Math.max(backoff(attempts.attempt, rules, jitter), asked),
        reason: verdict.reason,
      };
    }
  }
}

function backoff(attempt: number, rules: RetryRules, jitter: number): number {
  return backoffDelay(attempt, rules.backoffBaseMs, rules.maxBackoffMs, () => jitter);
}
