// Compiled as ESM (.mts), as CommonJS (.cts) and with bundler resolution, then run: what a user's first file does.
import {
  type Batch,
  type CloseReport,
  createHttpTransport,
  intervalForRate,
  isUnknownCampaignError,
  type RecipientEvent,
  ServerUpdateScheduler,
  type Transport,
} from '@scope/scheduler';
import { checkNumber } from '@scope/scheduler/check';

async function main(): Promise<string> {
  const received: Batch[] = [];
  const transport: Transport = Object.assign(
    async (batch: Batch) => {
      received.push(batch);
      return { status: 200 };
    },
    { shape: 'bulk' as const },
  );
  const scheduler = new ServerUpdateScheduler({ transport, minIntervalMs: 10, workerId: 'consumer' });
  scheduler.registerCampaign('c1', { emailsPerMinute: 40, total: 2 });
  const event: RecipientEvent = { recipientId: 'r1', outcome: 'sent', at: new Date().toISOString() };
  await scheduler.record('c1', event);
  scheduler.setStatus('c1', { state: 'completed', sent: 1, failed: 0, total: 2 });
  const report: CloseReport = await scheduler.close({ timeoutMs: 5000 });
  let unknown = false;
  try {
    scheduler.record('nope', event);
  } catch (error) {
    unknown = isUnknownCampaignError(error) || error instanceof Error;
  }
  let refused = '';
  try {
    checkNumber('windowMs', -1, { min: 1, integer: true });
  } catch (error) {
    refused = error instanceof RangeError ? error.message : String(error);
  }
  const http = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', shape: 'legacy' });
  const result = JSON.stringify({
    complete: report.complete,
    delivered: report.eventsDelivered,
    batches: received.length,
    interval: intervalForRate(40),
    shape: http.shape,
    unknown,
    refused,
  });
  if (
    result !==
    '{"complete":true,"delivered":1,"batches":1,"interval":90000,"shape":"legacy","unknown":true,"refused":"Expected `windowMs` to be an integer >= 1, got `-1` (number)"}'
  ) {
    throw new Error(result);
  }
  return 'ok';
}

main().then((message) => console.log(message));
