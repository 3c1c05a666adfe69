/**
 * The part of the generated `server-updates` module that both transforms share: it reads a request the worker
 * makes (with fetch, axios or got) as an update of the main server's legacy endpoints, or as something else, which
 * is sent as it was; and it answers an update the way the worker's client would have, once it has been taken in.
 * Source text of TypeScript, turned into JavaScript (ESM or CommonJS) by the emitter for a JavaScript worker.
 */
export const REQUESTS_SOURCE = `type Body = Record<string, unknown>;
type Client = 'fetch' | 'axios' | 'got';

/** An update of the main server's legacy endpoints, read from the request the worker makes. */
interface Update {
  readonly kind: 'events' | 'status';
  readonly client: Client;
  /** The server, as the worker reached it: the URL before \`/api/campaigns/\`. */
  readonly baseUrl: string;
  readonly campaignId: string;
  /** The endpoint's URL, one per campaign and kind. */
  readonly url: string;
  /** The JSON body: \`{ events }\` or a status. */
  readonly body: Body;
  readonly headers: Record<string, string>;
  /** Makes the worker's own request again, with another body. */
  readonly send: (body: Body) => unknown;
}

const UPDATE_URL = /^(https?:\\/\\/.*?)\\/api\\/campaigns\\/([^/?#]+)\\/(events|status)\\/?$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH']);
// Headers the transport sets itself, or that fetch owns.
const OWN_HEADERS = new Set(['content-type', 'content-length', 'idempotency-key', 'host', 'connection', 'transfer-encoding', 'keep-alive', 'expect', 'te', 'trailer', 'upgrade']);

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joined(base: unknown, path: unknown): string {
  const url = path instanceof URL ? path.href : String(path ?? '');
  if (/^[a-z][a-z\\d+.-]*:\\/\\//i.test(url) || base === undefined || base === null || base === '') return url;
  return \`\${String(base instanceof URL ? base.href : base).replace(/\\/+$/, '')}/\${url.replace(/^\\/+/, '')}\`;
}

function headersOf(...sources: unknown[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const source of sources) {
    const entries: Iterable<[string, unknown]> =
      isObject(source) && typeof source.entries === 'function' && typeof source.get === 'function'
        ? (source.entries as () => Iterable<[string, unknown]>)()
        : isObject(source)
          ? Object.entries(source)
          : [];
    for (const [name, value] of entries) {
      if (typeof value === 'string' && !OWN_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
  }
  return headers;
}

function jsonOf(body: unknown): unknown {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return body;
}

/** The update a request makes, or undefined for any other request (which then goes out as it was). */
function updateOf(client: Client, method: unknown, url: string, body: unknown, headers: Record<string, string>, send: (body: Body) => unknown): Update | undefined {
  if (!WRITES.has(String(method ?? 'GET').toUpperCase())) return undefined;
  const match = UPDATE_URL.exec(url.split(/[?#]/)[0] ?? '');
  const json = jsonOf(body);
  if (!match || !isObject(json)) return undefined;
  const kind = match[3] === 'events' ? 'events' : 'status';
  if (kind === 'events' && !Array.isArray(json.events)) return undefined;
  let campaignId: string;
  try {
    campaignId = decodeURIComponent(match[2] ?? '');
  } catch {
    return undefined;
  }
  return { kind, client, baseUrl: match[1] ?? '', campaignId, url: match[0], body: json, headers, send };
}

/** What the worker's client would have answered for an update taken in. */
function answer(client: Client): unknown {
  const { Response } = globalThis as unknown as { Response?: new (body: string, init: object) => unknown };
  if (client === 'fetch' && Response) return new Response('{}', { status: 202, headers: { 'content-type': 'application/json' } });
  if (client === 'axios') return { data: {}, status: 202, statusText: 'Accepted', headers: {}, config: {} };
  return { statusCode: 202, statusMessage: 'Accepted', ok: true, body: {}, headers: {} };
}

/** A got answer is a promise with \`json()\`, \`text()\` and \`buffer()\`. */
function gotLike(promise: Promise<unknown>): Promise<unknown> {
  return Object.assign(promise, {
    json: () => promise.then((response) => (isObject(response) && isObject(response.body) ? response.body : {})),
    text: () => promise.then(() => '{}'),
  });
}

function gotOptionsOf(client: unknown): Body {
  const defaults = isObject(client) || typeof client === 'function' ? (client as { defaults?: { options?: unknown } }).defaults : undefined;
  return isObject(defaults?.options) ? defaults.options : {};
}

function axiosDefaultsOf(client: unknown): Body {
  const defaults = isObject(client) || typeof client === 'function' ? (client as { defaults?: unknown }).defaults : undefined;
  return isObject(defaults) ? defaults : {};
}

function axiosHeaders(client: unknown, config: unknown): Record<string, string> {
  const defaults = axiosDefaultsOf(client);
  const common = isObject(defaults.headers) ? defaults.headers.common : undefined;
  return headersOf(common, defaults.headers, isObject(config) ? config.headers : undefined);
}

/**
 * Options as they go out again: a signal that has already fired is left out. It was armed by the caller for the
 * request, which the hotfix defers; waiting for the window is not the request timing out.
 */
function live(options: Body): Body {
  const signal = options.signal;
  if (!isObject(signal) || signal.aborted !== true) return options;
  const { signal: _fired, ...rest } = options;
  return rest;
}

function readFetch(fetchImpl: (...args: never[]) => unknown, input: unknown, init: unknown): Update | undefined {
  const { Request } = globalThis as unknown as { Request?: new () => unknown };
  if (Request && input instanceof Request) return undefined;
  const options = isObject(init) ? init : {};
  return updateOf('fetch', options.method, joined(undefined, input), options.body, headersOf(options.headers), (body) =>
    (fetchImpl as (input: unknown, init: unknown) => unknown)(input, { ...live(options), body: JSON.stringify(body) }),
  );
}

function readAxios(client: unknown, method: string, url: unknown, data: unknown, config: unknown): Update | undefined {
  const base = (isObject(config) ? config.baseURL : undefined) ?? axiosDefaultsOf(client).baseURL;
  return updateOf('axios', method, joined(base, url), data, axiosHeaders(client, config), (body) =>
    (client as Record<string, (...args: unknown[]) => unknown>)[method]?.(url, { ...(isObject(data) ? data : {}), ...body }, isObject(config) ? live(config) : config),
  );
}

function readAxiosConfig(client: unknown, config: unknown, viaRequest: boolean): Update | undefined {
  if (!isObject(config)) return undefined;
  const base = config.baseURL ?? axiosDefaultsOf(client).baseURL;
  const call = (next: Body) =>
    viaRequest ? (client as { request(config: unknown): unknown }).request(next) : (client as (config: unknown) => unknown)(next);
  return updateOf('axios', config.method, joined(base, config.url), config.data, axiosHeaders(client, config), (body) =>
    call({ ...live(config), data: body }),
  );
}

function readGot(client: unknown, method: string | undefined, url: unknown, options: unknown): Update | undefined {
  const own = isObject(options) ? options : {};
  const defaults = gotOptionsOf(client);
  const verb = method ?? own.method ?? 'GET';
  const body = own.json ?? own.body;
  const headers = headersOf(defaults.headers, own.headers);
  return updateOf('got', verb, joined(own.prefixUrl ?? defaults.prefixUrl, url), body, headers, (next) => {
    const { body: _body, ...rest } = live(own);
    const sent = { ...rest, json: next };
    return method === undefined
      ? (client as (url: unknown, options: unknown) => unknown)(url, sent)
      : (client as Record<string, (...args: unknown[]) => unknown>)[method]?.(url, sent);
  });
}
`;

/**
 * The functions the rewritten call sites use, one per form of request; each takes the client and the call's own
 * arguments (evaluated once, as before), and `take` decides what becomes of an update.
 */
export const API_SOURCE = `interface Registration {
  readonly emailsPerMinute?: number;
  readonly total?: number;
}

const registrations = new Map<string, Registration>();

type Method = (...args: never[]) => unknown;

/** The worker's requests to the main server; what is not an update of a campaign goes out as it was. */
export const serverUpdates = {
  /** Says what a campaign's rate and size are, before its first update. */
  campaign(campaignId: unknown, registration: { emailsPerMinute?: unknown; total?: unknown } = {}): void {
    const known: { emailsPerMinute?: number; total?: number } = {};
    const { emailsPerMinute, total } = registration;
    if (typeof emailsPerMinute === 'number' && Number.isFinite(emailsPerMinute) && emailsPerMinute >= 0) known.emailsPerMinute = emailsPerMinute;
    if (typeof total === 'number' && Number.isSafeInteger(total) && total >= 0) known.total = total;
    registrations.set(String(campaignId), known);
  },
  /** \`fetch(input, init)\`. */
  fetch<R>(fetchImpl: (...args: never[]) => R, ...args: unknown[]): R {
    const update = readFetch(fetchImpl, args[0], args[1]);
    return (update ? take(update) : (fetchImpl as (...args: unknown[]) => R)(...args)) as R;
  },
  /** \`client.post(url, data, config)\` (and put, patch) of axios or an instance of it. */
  axios<M extends string, C extends { [K in M]: Method }>(client: C, method: M, ...args: unknown[]): ReturnType<C[M]> {
    const update = readAxios(client, method, args[0], args[1], args[2]);
    return (update ? take(update) : (client[method] as unknown as (...args: unknown[]) => unknown).apply(client, args)) as ReturnType<C[M]>;
  },
  /** \`axios(config)\` or \`axios(url, config)\`. */
  axiosCall<R>(client: (...args: never[]) => R, ...args: unknown[]): R {
    const config = typeof args[0] === 'string' || args[0] instanceof URL ? { ...(isObject(args[1]) ? args[1] : {}), url: args[0] } : args[0];
    const update = readAxiosConfig(client, config, false);
    return (update ? take(update) : (client as (...args: unknown[]) => R)(...args)) as R;
  },
  /** \`client.request(config)\`. */
  axiosRequest<R>(client: { request(...args: never[]): R }, config: unknown): R {
    const update = readAxiosConfig(client, config, true);
    return (update ? take(update) : (client.request as (config: unknown) => R).call(client, config)) as R;
  },
  /** \`client.post(url, options)\` (and put, patch) of got or an instance made with \`got.extend\`. */
  got<M extends string, C extends { [K in M]: Method }>(client: C, method: M, ...args: unknown[]): ReturnType<C[M]> {
    const update = readGot(client, method, args[0], args[1]);
    return (update ? gotLike(take(update)) : (client[method] as unknown as (...args: unknown[]) => unknown).apply(client, args)) as ReturnType<C[M]>;
  },
  /**
   * \`client.post(url, body)\` (and put, patch) of a client the source does not tell (an injected dependency): got or
   * axios by what it is at run time, anything else as it was.
   */
  client<M extends string, C extends { [K in M]: Method }>(client: C, method: M, ...args: unknown[]): ReturnType<C[M]> {
    const defaults = (client as { defaults?: unknown }).defaults;
    if (isObject(defaults) && isObject(defaults.options)) return serverUpdates.got(client, method, ...args);
    if (isObject(defaults)) return serverUpdates.axios(client, method, ...args);
    return (client[method] as unknown as (...args: unknown[]) => unknown).apply(client, args) as ReturnType<C[M]>;
  },
  /** \`got(url, options)\`. */
  gotCall<R>(client: (...args: never[]) => R, ...args: unknown[]): R {
    const update = readGot(client, undefined, args[0], args[1]);
    return (update ? gotLike(take(update)) : (client as (...args: unknown[]) => R)(...args)) as R;
  },
};
`;
