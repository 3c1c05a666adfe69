import type { BreakerState, ServerUpdateScheduler } from '@scope/scheduler';

/** The server requests this worker made, as it saw them: counts by endpoint, spacing, concurrency. */
export interface ServerView {
  readonly requests: number;
  readonly byEndpoint: Record<string, number>;
  readonly minGapMs: number | null;
  readonly peakInFlight: number;
  readonly retries: number;
  readonly failures: number;
  readonly breaker: BreakerState;
  /** What went wrong with the latest request and what happens next, while requests are failing; else null. */
  readonly lastProblem: string | null;
}

/** Watches a scheduler's request and response events; `view()` reads the counts so far. */
export function watchRequests(scheduler: ServerUpdateScheduler, shape: 'bulk' | 'legacy'): () => ServerView {
  const byEndpoint: Record<string, number> = {};
  let requests = 0;
  let lastStart: number | undefined;
  let minGapMs: number | null = null;
  let inFlight = 0;
  let peakInFlight = 0;
  scheduler.on('request', ({ batch, at }) => {
    requests++;
    const only = batch.campaigns[0];
    const endpoint =
      shape === 'bulk'
        ? 'POST /api/updates'
        : only?.status && only.events.length === 0
          ? 'PUT /api/campaigns/:id/status'
          : 'POST /api/campaigns/:id/events';
    byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + 1;
    if (lastStart !== undefined) minGapMs = Math.min(minGapMs ?? Number.POSITIVE_INFINITY, at - lastStart);
    lastStart = at;
    peakInFlight = Math.max(peakInFlight, ++inFlight);
  });
  let lastProblem: string | null = null;
  scheduler.on('response', ({ status, error }) => {
    inFlight--;
    const ok = status !== undefined && status >= 200 && status < 300;
    lastProblem = ok ? null : (error ?? `HTTP ${status}`);
  });
  scheduler.on('retry', ({ reason, delayMs }) => {
    lastProblem = `${reason}; retry in ${Math.ceil(delayMs / 1000)}s`;
  });
  return () => {
    const stats = scheduler.stats();
    return {
      requests,
      byEndpoint: { ...byEndpoint },
      minGapMs,
      peakInFlight,
      retries: stats.retries,
      failures: stats.failures,
      breaker: stats.breaker,
      lastProblem,
    };
  };
}
