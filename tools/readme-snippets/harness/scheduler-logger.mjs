// biome-ignore-all lint/correctness/noUnusedVariables: the block spliced in at `// @snippet` uses them
// Harness of packages/scheduler/README.md, Logging. Defines `transport` (to the mock main server, which answers
// 503 here), records an event and waits for the failed request the block's comment shows pino logging.
// @stdout ^\{"level":40,.*"attempt":1,"status":503,.*"reason":"HTTP 503","msg":"request failed"\}$
import { createHttpTransport } from '@scope/scheduler';

const mainServer = process.env.MAIN_SERVER_URL;
await fetch(`${mainServer}/__mock/faults`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ errorRate: 1, errorStatus: 503 }),
});
const transport = createHttpTransport({ baseUrl: mainServer });

// @snippet

const failed = new Promise((resolve) => scheduler.on('response', resolve));
scheduler.registerCampaign('c1');
scheduler.record('c1', { recipientId: 'r1', outcome: 'sent', at: new Date() });
scheduler.flush();
await failed;
await scheduler.close({ timeoutMs: 0 });
