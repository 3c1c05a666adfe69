import { checkFunction, checkKnownKeys, checkNumber, checkObject, describeValue } from '../common/check.js';
import type { TransportShape } from '../types.js';

/** Where the legacy endpoints are, for servers that mount them elsewhere. Relative URLs resolve against `baseUrl`. */
export interface LegacyUrls {
  /**
   * Where a campaign's events are posted: a URL relative to `baseUrl`, or an absolute http or https URL.
   * @default (id) => `api/campaigns/${id}/events`, under `baseUrl`'s path
   */
  readonly events?: (campaignId: string) => string;
  /**
   * Where a campaign's status is put: a URL relative to `baseUrl`, or an absolute http or https URL.
   * @default (id) => `api/campaigns/${id}/status`, under `baseUrl`'s path
   */
  readonly status?: (campaignId: string) => string;
}

/** Options of `createHttpTransport`. */
export interface HttpTransportOptions {
  /** The main server, an http or https URL without credentials, query or fragment: `https://main.example.com`. */
  readonly baseUrl: string;
  /**
   * `bulk`: `POST /api/updates` with every campaign of the batch and an `Idempotency-Key`. `legacy`: the per-campaign
   * endpoints (`POST …/events`, `PUT …/status`), one campaign and one kind a request.
   * @default 'bulk'
   */
  readonly shape?: TransportShape;
  /**
   * Legacy endpoint locations.
   * @default the contract's `/api/campaigns/:id/events` and `/api/campaigns/:id/status`
   */
  readonly urls?: LegacyUrls;
  /**
   * The fetch to use.
   * @default globalThis.fetch, read at call time
   */
  readonly fetch?: typeof fetch;
  /**
   * How long one call may take, redirects and reading the answer included, before it is aborted: an integer of
   * milliseconds from 1 to 2147483647.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /**
   * Extra headers on every request (authentication, for example): HTTP token names, Latin-1 values without CR, LF
   * or NUL. Not `content-type` or `idempotency-key` (the transport's), nor the framing headers fetch owns.
   * Dropped when a redirect leaves the first request's origin.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The options once checked, with the defaults filled in. */
export interface CheckedHttpOptions {
  /** `baseUrl` as a directory: its path ends in `/`, so relative paths resolve under it. */
  readonly base: URL;
  readonly shape: TransportShape;
  readonly urls: Required<LegacyUrls>;
  readonly fetch: typeof fetch | undefined;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
}

const defaultOptions = {
  shape: 'bulk',
  urls: {},
  timeoutMs: 10_000,
  headers: {},
} as const satisfies Partial<HttpTransportOptions>;

const defaultUrls: Required<LegacyUrls> = {
  // Relative (no leading `/`), so a path in `baseUrl` (`https://host/v1`) is kept, as for the bulk endpoint.
  events: (id) => `api/campaigns/${encodeURIComponent(id)}/events`,
  status: (id) => `api/campaigns/${encodeURIComponent(id)}/status`,
};

/** Headers the transport sets itself, and those fetch frames the request with. */
const RESERVED_HEADERS = [
  'content-type',
  'idempotency-key',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'expect',
  'upgrade',
  'te',
  'trailer',
];
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[^\r\n\0\u0100-\uffff]*$/;

/**
 * Checks the options of `createHttpTransport` and fills in the defaults.
 * @throws TypeError for an option of the wrong type or form, RangeError for a number out of range; each names it.
 */
export function checkHttpTransportOptions(options: HttpTransportOptions): CheckedHttpOptions {
  checkObject('options', options);
  checkKnownKeys('', options, ['baseUrl', 'shape', 'urls', 'fetch', 'timeoutMs', 'headers']);
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const o = { ...defaultOptions, ...given } as HttpTransportOptions & typeof defaultOptions;
  const base = checkBaseUrl(o.baseUrl);
  if (o.shape !== 'bulk' && o.shape !== 'legacy') {
    throw new TypeError(`Expected \`shape\` to be "bulk" or "legacy", got ${describeValue(o.shape)}`);
  }
  checkObject('urls', o.urls as unknown);
  checkKnownKeys('urls', o.urls, ['events', 'status']);
  if (o.urls.events !== undefined) checkFunction('urls.events', o.urls.events);
  if (o.urls.status !== undefined) checkFunction('urls.status', o.urls.status);
  if (o.fetch !== undefined) checkFunction('fetch', o.fetch);
  checkNumber('timeoutMs', o.timeoutMs, { min: 1, max: 2_147_483_647, integer: true });
  checkHeaders(o.headers);
  return {
    base,
    shape: o.shape,
    urls: { ...defaultUrls, ...o.urls },
    fetch: o.fetch,
    timeoutMs: o.timeoutMs,
    headers: { ...o.headers },
  };
}

function checkBaseUrl(baseUrl: unknown): URL {
  const url = typeof baseUrl === 'string' && URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`Expected \`baseUrl\` to be an absolute http or https URL, got ${describeValue(baseUrl)}`);
  }
  if (url.username !== '' || url.password !== '') {
    const shown = new URL(url);
    if (shown.username) shown.username = '***';
    if (shown.password) shown.password = '***';
    throw new TypeError(
      `Expected \`baseUrl\` to carry no user name or password (send credentials in \`headers\`), got ${describeValue(shown.href)}`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError(
      `Expected \`baseUrl\` to have no query or fragment (the transport appends paths to it), got ${describeValue(baseUrl)}`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function checkHeaders(headers: unknown): void {
  const proto = typeof headers === 'object' && headers !== null ? Object.getPrototypeOf(headers) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`Expected \`headers\` to be a plain object of names and values, got ${describeValue(headers)}`);
  }
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(headers as object)) {
    if (!TOKEN.test(name)) {
      throw new TypeError(
        `Expected the names in \`headers\` to be HTTP tokens (letters, digits and !#$%&'*+-.^_\`|~), got ${describeValue(name)}`,
      );
    }
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.includes(lower)) {
      throw new TypeError(
        `Expected \`headers\` not to set \`${name}\`: the transport sets content-type and idempotency-key, and fetch the framing headers (${RESERVED_HEADERS.slice(2).join(', ')})`,
      );
    }
    const twin = seen.get(lower);
    if (twin !== undefined) {
      throw new TypeError(`Expected \`headers\` to name each header once, got \`${twin}\` and \`${name}\``);
    }
    seen.set(lower, name);
    if (typeof value !== 'string') {
      throw new TypeError(`Expected \`headers.${name}\` to be a string, got ${describeValue(value)}`);
    }
    if (!HEADER_VALUE.test(value)) {
      throw new TypeError(
        `Expected \`headers.${name}\` to be Latin-1 text without CR, LF or NUL, got ${describeValue(value)}`,
      );
    }
  }
}

/**
 * Resolves what `urls.events` or `urls.status` returned against the base URL.
 * @throws TypeError naming the option unless it is a relative URL or an absolute http or https URL without credentials.
 */
export function resolveLegacyUrl(name: 'urls.events' | 'urls.status', value: unknown, base: URL): string {
  const url =
    typeof value === 'string' && value !== '' && URL.canParse(value, base.href) ? new URL(value, base) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`Expected \`${name}\` to return a relative or http(s) URL, got ${describeValue(value)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(
      `Expected \`${name}\` to return a URL without user name or password, got ${url.host} with them`,
    );
  }
  return url.href;
}
