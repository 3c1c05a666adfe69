import { checkFunction, checkKnownKeys, checkNumber, checkObject, describeValue } from '../common/check.js';
import type { Batch, CampaignControl, Transport, TransportResult, TransportShape } from '../types.js';
import { parseRetryAfter } from './retry-after.js';

/** Where the legacy endpoints are, for servers that mount them elsewhere. Relative URLs resolve against `baseUrl`. */
export interface LegacyUrls {
  /**
   * Where a campaign's events are posted.
   * @default (id) => `/api/campaigns/${id}/events`
   */
  readonly events?: (campaignId: string) => string;
  /**
   * Where a campaign's status is put.
   * @default (id) => `/api/campaigns/${id}/status`
   */
  readonly status?: (campaignId: string) => string;
}

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** The main server, e.g. `https://main.example.com`. */
  readonly baseUrl: string;
  /**
   * `bulk`: `POST /api/updates` with every campaign of the batch and an `Idempotency-Key`. `legacy`: the per-campaign
   * endpoints (`POST …/events`, `PUT …/status`), one campaign and one kind a request.
   * @default 'bulk'
   */
  readonly shape?: TransportShape;
  /** Legacy endpoint locations. */
  readonly urls?: LegacyUrls;
  /** The fetch to use. @default globalThis.fetch, read at call time */
  readonly fetch?: typeof fetch;
  /**
   * How long one request may take before it is aborted.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /** Extra headers on every request (authentication, for example). */
  readonly headers?: Readonly<Record<string, string>>;
}

const MESSAGE_LIMIT = 500;

/**
 * A transport over `fetch`: one batch, one request, its answer as `{ status, retryAfterMs, control, message }`.
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
 * @throws TypeError or RangeError naming the option that is wrong.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  checkObject('options', options);
  checkKnownKeys('', options, ['baseUrl', 'shape', 'urls', 'fetch', 'timeoutMs', 'headers']);
  const { baseUrl, shape = 'bulk', timeoutMs = 10_000, headers = {} } = options;
  const urls: LegacyUrls = options.urls ?? {};
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new TypeError(`Expected \`baseUrl\` to be an absolute URL, got ${describeValue(baseUrl)}`);
  }
  if (shape !== 'bulk' && shape !== 'legacy') {
    throw new TypeError(`Expected \`shape\` to be "bulk" or "legacy", got ${describeValue(shape)}`);
  }
  checkObject('urls', urls as unknown);
  checkKnownKeys('urls', urls, ['events', 'status']);
  if (urls.events !== undefined) checkFunction('urls.events', urls.events);
  if (urls.status !== undefined) checkFunction('urls.status', urls.status);
  if (options.fetch !== undefined) checkFunction('fetch', options.fetch);
  checkNumber('timeoutMs', timeoutMs, { min: 1 });
  checkObject('headers', headers);
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string')
      throw new TypeError(`Expected \`headers.${name}\` to be a string, got ${describeValue(value)}`);
  }
  const eventsUrl = urls.events ?? ((id: string) => `/api/campaigns/${encodeURIComponent(id)}/events`);
  const statusUrl = urls.status ?? ((id: string) => `/api/campaigns/${encodeURIComponent(id)}/status`);
  const resolve = (path: string) => new URL(path, base.href.endsWith('/') ? base : `${base.href}/`).href;

  function requestOf(batch: Batch): { url: string; method: string; body: unknown } {
    if (shape === 'bulk') {
      const { workerId, batchId, campaigns } = batch;
      return { url: resolve('api/updates'), method: 'POST', body: { workerId, batchId, campaigns } };
    }
    const [only, extra] = batch.campaigns;
    if (only === undefined || extra !== undefined || only.events.length > 0 === (only.status !== undefined)) {
      throw new TypeError('A legacy-shape batch holds one campaign with events or a status, not both');
    }
    if (only.status !== undefined)
      return { url: resolve(statusUrl(only.campaignId)), method: 'PUT', body: only.status };
    return { url: resolve(eventsUrl(only.campaignId)), method: 'POST', body: { events: only.events } };
  }

  const transport = async (batch: Batch, { signal }: { signal: AbortSignal }): Promise<TransportResult> => {
    const { url, method, body } = requestOf(batch);
    const controller = new AbortController();
    const abort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    const timer = setTimeout(
      () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    );
    try {
      const fetchImpl = options.fetch ?? globalThis.fetch;
      const response = await fetchImpl(url, {
        method,
        headers: { 'content-type': 'application/json', 'idempotency-key': batch.batchId, ...headers },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      const text = await response.text();
      return resultOf(response.status, response.headers.get('retry-after'), text);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    }
  };
  return Object.assign(transport, { shape });
}

function resultOf(status: number, retryAfter: string | null, text: string): TransportResult {
  const retryAfterMs = parseRetryAfter(retryAfter, Date.now());
  const parsed = parseJson(text);
  if (status >= 200 && status < 300) {
    const control = controlOf(parsed);
    return { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(control ? { control } : {}) };
  }
  const said =
    parsed && typeof parsed === 'object'
      ? ((parsed as Record<string, unknown>).error ?? (parsed as Record<string, unknown>).message)
      : undefined;
  const message = (typeof said === 'string' ? said : text).slice(0, MESSAGE_LIMIT);
  return { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(message ? { message } : {}) };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Per-campaign control in a bulk answer: `{ control: [{ campaignId, state: 'paused' | 'cancelled' | 'running' }] }`. */
function controlOf(body: unknown): CampaignControl[] | undefined {
  const list = body && typeof body === 'object' ? (body as { control?: unknown }).control : undefined;
  if (!Array.isArray(list)) return undefined;
  const valid = list.filter(
    (item): item is CampaignControl =>
      typeof item?.campaignId === 'string' && ['running', 'paused', 'cancelled'].includes(item?.state),
  );
  return valid.length > 0 ? valid : undefined;
}
