import type { ResponseEvent } from '@scope/scheduler';

/** How a request ended, as the `outcome` attribute of `scheduler.requests`. */
export type RequestOutcome = 'success' | 'not_acknowledged' | 'http_error' | 'no_answer';

/**
 * The outcome of one request: `success` (a 2xx that acknowledged the batch), `not_acknowledged` (an answer that
 * looked like success and acknowledged nothing, such as a login page), `http_error` (3xx, 4xx, 5xx) or `no_answer`
 * (network failure, timeout).
 */
export function outcomeOf(response: Pick<ResponseEvent, 'status' | 'error'>): RequestOutcome {
  const { status, error } = response;
  if (status === undefined) return 'no_answer';
  if (status >= 200 && status < 300) return error === undefined ? 'success' : 'not_acknowledged';
  return 'http_error';
}
