import type { ServerUpdateScheduler } from '@scope/scheduler';

/** The server requests this worker made, as it saw them: counts by endpoint, spacing, concurrency. */
export interface ServerView {
  readonly requests: number;
  readonly byEndpoint: Record<string, number>;
  readonly minGapMs: number | null;
  readonly peakInFlight: number;
  readonly retries: number;
  readonly failures: number;
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
  scheduler.on('response', () => {
    inFlight--;
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
    };
  };
}
