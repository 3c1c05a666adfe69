// Compiled as ESM (.mts), as CommonJS (.cts) and with bundler resolution, then run: what a user's first file does.
// The meter is the API's own (a no-op without an SDK), as in a library that leaves the SDK to the application.
import { metrics } from '@opentelemetry/api';
import { type InstrumentOptions, instrumentScheduler } from '@scope/otel';
import { ServerUpdateScheduler, type Transport } from '@scope/scheduler';

async function main(): Promise<string> {
  const transport: Transport = Object.assign(async () => ({ status: 200 }), { shape: 'bulk' as const });
  const scheduler = new ServerUpdateScheduler({ transport, minIntervalMs: 10 });
  const options: InstrumentOptions = { meter: metrics.getMeter('consumer'), perCampaign: false };
  const instrumentation = instrumentScheduler(scheduler, options);
  scheduler.registerCampaign('c1', { emailsPerMinute: 10 });
  scheduler.record('c1', { recipientId: 'r1', outcome: 'sent', at: new Date() });
  const report = await scheduler.close({ timeoutMs: 5000 });
  instrumentation.stop();
  if (report.eventsDelivered !== 1) throw new Error(JSON.stringify(report));
  return 'ok';
}

main().then((message) => console.log(message));
