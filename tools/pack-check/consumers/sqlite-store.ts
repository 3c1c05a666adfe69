// Compiled as ESM (.mts), as CommonJS (.cts) and with bundler resolution, then run: what a user's first file does.
import { type Batch, ServerUpdateScheduler, type Transport } from '@scope/scheduler';
import { isStoreLockedError, SqliteStore, type SqliteStoreOptions } from '@scope/sqlite-store';

async function main(): Promise<string> {
  // In the project's folder (the ESM and the CommonJS run each leave it with nothing pending).
  const options: SqliteStoreOptions = { path: 'consumer-outbox.db' };
  const received: Batch[] = [];
  const send = async (batch: Batch) => {
    received.push(batch);
    return { status: 200 };
  };
  const transport: Transport = Object.assign(send, { shape: 'bulk' as const });
  // The first process records an event and stops before delivering it.
  const first = new SqliteStore(options);
  const before = new ServerUpdateScheduler({ transport, store: first, minIntervalMs: 10 });
  before.registerCampaign('c1', { emailsPerMinute: 10 });
  before.record('c1', { recipientId: 'r1', outcome: 'sent', at: new Date() });
  await first.durable();
  let locked = false;
  try {
    new SqliteStore(options);
  } catch (error) {
    locked = isStoreLockedError(error);
  }
  first.close();
  // The next one delivers it.
  const store = new SqliteStore(options);
  const after = new ServerUpdateScheduler({ transport, store, minIntervalMs: 10 });
  const report = await after.close({ timeoutMs: 5000 });
  store.close();
  const result = JSON.stringify({ locked, delivered: report.eventsDelivered, batches: received.length });
  if (result !== '{"locked":true,"delivered":1,"batches":1}') throw new Error(result);
  return 'ok';
}

main().then((message) => console.log(message));
