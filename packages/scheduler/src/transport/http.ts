import type { Batch, Transport, TransportResult } from '../types.js';
import { type Answer, readBulkAnswer, readLegacyAnswer } from './acknowledgement.js';
import { type CheckedHttpOptions, checkHttpTransportOptions, type HttpTransportOptions } from './http-options.js';
import { discard, MAX_ANSWER_BYTES, readAnswer } from './read-answer.js';
import { redirectStep } from './redirect.js';
import { type BatchRequest, requestOf } from './request-of.js';
import { parseRetryAfter } from './retry-after.js';

export type { HttpTransportOptions, LegacyUrls } from './http-options.js';

const MESSAGE_LIMIT = 500;

/**
 * A transport over `fetch`: one batch, one call, its answer as `{ status, retryAfterMs?, control?, message?,
 * notAcknowledged? }`. A 2xx counts only when its body acknowledges the batch (the bulk shape: the contract's
 * `{ accepted, duplicate, control? }`; the legacy shape: a 204 or a JSON object that does not say it failed);
 * otherwise `notAcknowledged` says why. 307 and 308 are followed (same method and body, at most 5 times);
 * other redirects are not delivery.
 *
 * @example
 * ```ts
 * const transport = createHttpTransport({
 *   baseUrl: 'https://main.example.com',
 *   shape: 'legacy',
 *   urls: { events: (id) => `/v1/campaigns/${id}/events`, status: (id) => `/v1/campaigns/${id}/status` },
 *   headers: { authorization: `Bearer ${token}` },
 * });
 * ```
 * @throws TypeError or RangeError naming the option that is wrong. The transport itself rejects with a TypeError
 * for a batch it cannot send (a legacy batch of several campaigns or kinds, a bad batch id, a `urls` result that is
 * not http(s)), with BatchEncodingError for one it cannot encode (before any request), and with fetch's error
 * on a network failure, a timeout or an abort.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const checked = checkHttpTransportOptions(options);
  const transport = async (batch: Batch, { signal }: { signal: AbortSignal }): Promise<TransportResult> => {
    const request = requestOf(checked, batch);
    signal.throwIfAborted();
    const controller = new AbortController();
    const abort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    const timer = setTimeout(
      () => controller.abort(new DOMException(`no answer within ${checked.timeoutMs} ms`, 'TimeoutError')),
      checked.timeoutMs,
    );
    try {
      return await exchange(checked, batch.batchId, request, controller.signal);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    }
  };
  return Object.assign(transport, { shape: checked.shape });
}

/** Sends the request, follows 307/308 as {@link redirectStep} allows, and reads the final answer. */
async function exchange(
  options: CheckedHttpOptions,
  batchId: string,
  request: BatchRequest,
  signal: AbortSignal,
): Promise<TransportResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const own = { ...request.headers, 'content-type': 'application/json', 'idempotency-key': batchId };
  const first = new URL(request.url);
  first.hash = '';
  const visited = [first.href];
  let headers: Record<string, string> = { ...options.headers, ...own };
  for (;;) {
    const url = visited[visited.length - 1] as string;
    const response = await fetchImpl(url, {
      method: request.method,
      headers,
      body: request.body,
      signal,
      redirect: 'manual',
    });
    const { status } = response;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    const waited = retryAfterMs === undefined ? {} : { retryAfterMs };
    if (response.type === 'opaqueredirect') {
      await discard(response);
      return { status, ...waited, notAcknowledged: 'redirected, to a place the fetch in use does not reveal' };
    }
    if (status >= 300 && status < 400) {
      await discard(response);
      const step = redirectStep(status, response.headers.get('location'), visited);
      if ('stop' in step) return { status, ...waited, notAcknowledged: step.stop };
      // Like fetch, a redirect to another origin does not take the caller's credentials along.
      if (new URL(step.follow).origin !== first.origin) headers = own;
      visited.push(step.follow);
      continue;
    }
    const { text, tooLarge } = await readAnswer(response);
    if (status < 200 || status >= 300) return { status, ...waited, ...messageOf(text) };
    if (tooLarge) {
      return { status, ...waited, notAcknowledged: `${status} answer body larger than ${MAX_ANSWER_BYTES} bytes` };
    }
    const answer: Answer = { status, contentType: response.headers.get('content-type'), text };
    const verdict = options.shape === 'bulk' ? readBulkAnswer(answer, request.eventCount) : readLegacyAnswer(answer);
    if (!verdict.acknowledged) return { status, ...waited, notAcknowledged: verdict.reason };
    return { status, ...waited, ...(verdict.control ? { control: verdict.control } : {}) };
  }
}

/** What a refusal's body says: its JSON `error` or `message`, else the start of its text. */
function messageOf(text: string): { message?: string } {
  let said: unknown;
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null) {
      said = (body as { error?: unknown }).error ?? (body as { message?: unknown }).message;
    }
  } catch {}
  const message = (typeof said === 'string' ? said : text).trim().slice(0, MESSAGE_LIMIT);
  return message ? { message } : {};
}
