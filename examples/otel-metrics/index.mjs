// A worker's ServerUpdateScheduler reporting to the mock main server, through an outage, with its metrics exported
// by @scope/otel to a Prometheus scrape endpoint. It prints two scrapes: during the outage, and once all is delivered.
//
//   pnpm --filter @examples/otel-metrics... build && pnpm --filter @examples/otel-metrics start
//   PORT=9464 KEEP_SERVING=1 pnpm --filter @examples/otel-metrics start   # then: curl localhost:9464/metrics
import { createServer } from 'node:http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createMockServer, demoCampaigns, startInProcess } from '@scope/mock-server';
import { instrumentScheduler } from '@scope/otel';
import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';

const EVENTS_PER_CAMPAIGN = 20;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The main server, in this process (msw): every update request fails with a 503 for its first 1.5 seconds.
const campaigns = demoCampaigns({ seed: 7, campaigns: 2, recipients: EVENTS_PER_CAMPAIGN });
const mock = createMockServer({ campaigns, faults: { outages: [{ fromMs: 0, toMs: 1_500 }], outageMode: 'status' } });
const stopMock = startInProcess(mock);

// The metrics: a Prometheus endpoint on PORT (0 picks a free one), served by the exporter's own request handler.
const exporter = new PrometheusExporter({ preventServerStart: true });
const provider = new MeterProvider({ readers: [exporter] });
const http = createServer((request, response) => exporter.getMetricsRequestHandler(request, response));
await new Promise((resolve) => http.listen(Number(process.env.PORT ?? 9464), '127.0.0.1', resolve));
const metricsUrl = `http://127.0.0.1:${http.address().port}/metrics`;

// A scheduler on short timings, so the example runs in seconds (the defaults are 15 s spacing, 30–120 s intervals).
const scheduler = new ServerUpdateScheduler({
  transport: createHttpTransport({ baseUrl: 'http://main.mock' }),
  workerId: 'example-worker',
  minIntervalMs: 200,
  intervalTable: [{ maxEmailsPerMinute: Number.POSITIVE_INFINITY, intervalMs: 500 }],
  backoffBaseMs: 200,
  maxBackoffMs: 1_000,
  breakerThreshold: 2,
  breakerCooldownMs: 500,
});
const instrumentation = instrumentScheduler(scheduler, { meter: provider.getMeter('otel-metrics-example') });

/** What a Prometheus server would scrape now: the scheduler's series. */
async function scrape(title) {
  const text = await (await fetch(metricsUrl)).text();
  const lines = text.split('\n').filter((line) => /^(# (HELP|TYPE) )?scheduler_/.test(line));
  console.log(`--- ${title}: GET ${metricsUrl}\n${lines.join('\n')}\n`);
}

for (const { campaign } of campaigns) scheduler.registerCampaign(campaign.id, { total: EVENTS_PER_CAMPAIGN });
for (let i = 0; i < EVENTS_PER_CAMPAIGN; i++) {
  for (const { campaign, recipients } of campaigns) {
    await scheduler.record(campaign.id, { recipientId: recipients[i].id, outcome: 'sent', at: new Date() });
  }
  await sleep(50);
}
await scrape('during the outage');

for (const { campaign } of campaigns) {
  scheduler.setStatus(campaign.id, {
    state: 'completed',
    sent: EVENTS_PER_CAMPAIGN,
    failed: 0,
    total: EVENTS_PER_CAMPAIGN,
  });
}
await scheduler.flush();
await scrape('after flush()');
const summary = mock.state.summary();
console.log(`server: ${summary.requests} requests, ${summary.eventsApplied} events applied`);

if (process.env.KEEP_SERVING) console.log(`serving ${metricsUrl} until Ctrl-C`);
else {
  await scheduler.close();
  instrumentation.stop();
  await provider.shutdown();
  http.close();
  stopMock();
}
