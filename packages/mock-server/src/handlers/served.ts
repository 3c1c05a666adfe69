import { delay, HttpResponse, type HttpResponseResolver } from 'msw';
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

/**
 * Wraps a handler with what every endpoint shares, in one place: the request log, fault injection (latency,
 * errors, throttling, outages, hangs, 413) and JSON body parsing. Handlers only say what the server does.
 */
export function served(
  mock: MockServer,
  endpoint: Endpoint,
  handle: (served: Served) => Response | Promise<Response>,
): HttpResponseResolver {
  return async ({ request, params }) => {
    // Arrival time first: reading the body takes a turn of the event loop, which a busy machine stretches.
    const now = Date.now();
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const body = parseBody(text);
    const facts = describe(endpoint, params, body, request);
    const entry = mock.state.begin({
      at: now,
      method: request.method,
      path: new URL(request.url).pathname,
      endpoint,
      bytes: new TextEncoder().encode(text).length,
      ...facts,
    });
    const decision = mock.decideFault({ endpoint, bytes: entry.bytes, now });
    if (decision.kind !== 'pass') entry.fault = decision.label;
    if (decision.latencyMs > 0) await delay(decision.latencyMs);
    let response: Response;
    if (decision.kind === 'network') {
      mock.state.end(entry, 0, Date.now());
      return HttpResponse.error();
    }
    if (decision.kind === 'hang') {
      // Long past any client's timeout (or until the client gives up); then a gateway's answer, so the log entry
      // ends. The wait never keeps a process alive on its own.
      await hang(mock.hangMs, request.signal);
      response = refuse(504, 'no answer (hang injected)');
    } else if (decision.kind === 'status') {
      response = refuse(
        decision.status,
        decision.label,
        decision.retryAfter ? { 'retry-after': decision.retryAfter } : {},
      );
    } else if (body === NOT_JSON) {
      response = refuse(400, 'body: expected JSON');
    } else {
      response = await handle({ request, params, body });
    }
    mock.state.end(entry, response.status, Date.now());
    return response;
  };
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
function describe(endpoint: Endpoint, params: Served['params'], body: unknown, request: Request) {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const key = request.headers.get('idempotency-key') ?? undefined;
  if (endpoint === 'bulk') {
    const campaigns = Array.isArray(record.campaigns) ? (record.campaigns as Array<Record<string, unknown>>) : [];
    return {
      batchId: typeof record.batchId === 'string' ? record.batchId : key,
      campaigns: campaigns.map((c) => String(c?.campaignId)),
      events: campaigns.reduce((n, c) => n + (Array.isArray(c?.events) ? c.events.length : 0), 0),
    };
  }
  const campaignId = typeof params.id === 'string' ? [params.id] : [];
  const events = endpoint === 'events' && Array.isArray(record.events) ? record.events.length : 0;
  return { batchId: key, campaigns: campaignId, events };
}
