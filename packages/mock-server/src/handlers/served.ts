import { delay, HttpResponse, type HttpResponseResolver } from 'msw';
import { readBody } from '../body.js';
import { campaignId, idempotencyKey, problemOf } from '../ids.js';
import type { MockServer } from '../MockServer.js';

export type Endpoint = 'bulk' | 'events' | 'status' | 'intake' | 'admin';

/** What a handler gets: the request, its path parameters, and its body parsed as JSON (undefined if none). */
export interface Served {
  readonly request: Request;
  readonly params: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: unknown;
}

/** A JSON error answer, as every refusal of the mock is written. */
export function refuse(status: number, error: string, headers: Record<string, string> = {}): Response {
  return HttpResponse.json({ error }, { status, headers });
}

const NOT_JSON = Symbol('not JSON');
const UPDATES = new Set<Endpoint>(['bulk', 'events', 'status']);

/**
 * Wraps a handler with what every endpoint shares, in one place: the body limit (counted as the body streams in),
 * the request log, fault injection (latency, errors, throttling, outages, hangs, 413), the idempotency draft's
 * 409 for a key still being processed, and JSON body parsing. Handlers only say what the server does.
 */
export function served(
  mock: MockServer,
  endpoint: Endpoint,
  handle: (served: Served) => Response | Promise<Response>,
): HttpResponseResolver {
  return async ({ request, params }) => {
    // Arrival time first: reading the body takes a turn of the event loop, which a busy machine stretches.
    const now = Date.now();
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const read = hasBody ? await readBody(request, mock.bodyLimitBytes) : { ok: true as const, text: '', bytes: 0 };
    const body = read.ok ? parseBody(read.text) : undefined;
    const key = request.headers.get('idempotency-key');
    const entry = mock.state.begin({
      at: now,
      method: request.method,
      path: new URL(request.url).pathname,
      endpoint,
      bytes: read.bytes,
      ...describe(endpoint, params, body, key),
    });
    const answer = (response: Response) => {
      mock.state.end(entry, response.status, Date.now());
      return response;
    };
    // The server's own limit comes first, before any fault: it is answered while the body is still coming.
    if (!read.ok) {
      return answer(refuse(413, `body: expected at most ${mock.bodyLimitBytes} bytes (the body limit), got more`));
    }
    const decision = mock.decideFault({ endpoint, bytes: entry.bytes, now });
    if (decision.kind !== 'pass') entry.fault = decision.label;
    // Under the idempotency draft a keyed update is "being processed" from its arrival to its answer.
    const claim = mock.idempotencyDraft && key !== null && UPDATES.has(endpoint) && decision.kind !== 'network';
    if (claim && !mock.state.claimKey(key)) {
      entry.fault = undefined;
      if (decision.latencyMs > 0) await delay(decision.latencyMs);
      return answer(
        refuse(409, `header Idempotency-Key: a request with "${key}" is still being processed; try again later`),
      );
    }
    try {
      if (decision.latencyMs > 0) await delay(decision.latencyMs);
      if (decision.kind === 'network') {
        mock.state.end(entry, 0, Date.now());
        return HttpResponse.error();
      }
      if (decision.kind === 'hang') {
        // Long past any client's timeout (or until the client gives up); then a gateway's answer, so the log entry
        // ends. The wait never keeps a process alive on its own.
        await hang(mock.hangMs, request.signal);
        return answer(refuse(504, 'no answer (hang injected)'));
      }
      if (decision.kind === 'status') {
        const headers: Record<string, string> = decision.retryAfter ? { 'retry-after': decision.retryAfter } : {};
        return answer(refuse(decision.status, decision.label, headers));
      }
      if (body === NOT_JSON) return answer(refuse(400, 'body: expected JSON'));
      return answer(await handle({ request, params, body }));
    } finally {
      if (claim) mock.state.releaseKey(key);
    }
  };
}

/** The campaign id a path names, or a 400 naming the field for one the server refuses (`../../etc/passwd`). */
export function pathCampaign(params: Served['params']): string | Response {
  const problem = problemOf(campaignId, params.id, 'campaignId (path)');
  return problem === undefined ? (params.id as string) : refuse(400, problem);
}

/** A 404 naming the field, for a campaign the server does not know; undefined for one it does. */
export function unknownCampaign(mock: MockServer, id: string, field = 'campaignId (path)'): Response | undefined {
  return mock.state.knows(id) ? undefined : refuse(404, `${field}: campaign "${id}" is unknown`);
}

/** A legacy request's `Idempotency-Key`: null when there is none, a 400 when it breaks the identifier rule. */
export function keyOf(request: Request): string | null | Response {
  const key = request.headers.get('idempotency-key');
  if (key === null) return null;
  const problem = problemOf(idempotencyKey, key, 'header Idempotency-Key');
  return problem === undefined ? key : refuse(400, problem);
}

/**
 * Applies a request once per `Idempotency-Key` (IETF Idempotency-Key draft): a repeat with the same body (by
 * fingerprint) gets `repeat()`, one with another body a 422, a new one `apply()`, and its key is remembered once it
 * applied (a refused request may come back fixed).
 */
export function applyOnce(
  mock: MockServer,
  key: string | null,
  print: string,
  repeat: () => Response,
  apply: () => Response,
): Response {
  if (key === null) return apply();
  const recalled = mock.state.recallKey(key, print);
  if (recalled === 'repeat') return repeat();
  if (recalled === 'reused') {
    return refuse(422, `header Idempotency-Key: "${key}" was already used for a request with another body`);
  }
  const response = apply();
  if (response.ok) mock.state.rememberKey(key, print);
  return response;
}

function hang(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    (timer as { unref?: () => void }).unref?.();
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** The batch id, campaigns and event count of a request, for the log (read leniently: validation comes later). */
function describe(endpoint: Endpoint, params: Served['params'], body: unknown, key: string | null) {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (endpoint === 'bulk') {
    const campaigns = Array.isArray(record.campaigns) ? (record.campaigns as Array<Record<string, unknown>>) : [];
    return {
      batchId: typeof record.batchId === 'string' ? record.batchId : (key ?? undefined),
      workerId: typeof record.workerId === 'string' ? record.workerId : undefined,
      campaigns: campaigns.map((c) => String(c?.campaignId)),
      events: campaigns.reduce((n, c) => n + (Array.isArray(c?.events) ? c.events.length : 0), 0),
    };
  }
  const campaignId = typeof params.id === 'string' ? [params.id] : [];
  const events = endpoint === 'events' && Array.isArray(record.events) ? record.events.length : 0;
  return { batchId: key ?? undefined, workerId: undefined, campaigns: campaignId, events };
}
