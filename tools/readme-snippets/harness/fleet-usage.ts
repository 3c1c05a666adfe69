// biome-ignore-all lint/correctness/noUnusedVariables: the block spliced in at `// @snippet` uses them
// Harness of packages/fleet/README.md, Usage. Defines what the block leaves to the worker (`baseUrl`, `mail`,
// `recipients`), on a fleet named as the block names it but new (an earlier run's keys removed, or campaign cmp-1
// would be a job done already), then waits for the campaign to be mailed, checks the main server applied each
// recipient once, and closes what the block opened.
import { Redis as HarnessRedis } from 'ioredis';

const baseUrl = process.env.MAIN_SERVER_URL as string;
const recipients = ['r1', 'r2', 'r3'];
const mailed: string[] = [];
const mail = async (recipient: string) => {
  mailed.push(recipient);
};
const cleaner = new HarnessRedis(process.env.REDIS_URL as string);
const removeFleetKeys = async () => {
  const keys = await cleaner.keys('fleet:{mail}:*');
  if (keys.length > 0) await cleaner.del(...keys);
};
await removeFleetKeys();

// @snippet

const deadline = Date.now() + 60_000;
while (mailed.length < recipients.length) {
  if (Date.now() > deadline) throw new Error(`mailed ${mailed.length} of ${recipients.length} in 60 s`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await scheduler.flush();
const summary = await (await fetch(`${baseUrl}/__mock/summary`)).json();
if (mailed.join() !== recipients.join() || summary.eventsApplied !== 3 || summary.duplicateEvents !== 0) {
  throw new Error(`expected r1 r2 r3 mailed and applied once: mailed ${mailed}, ${JSON.stringify(summary)}`);
}
await distributor.close({ timeoutMs: 5_000 });
await budget.close();
await scheduler.close();
redis.disconnect();
await removeFleetKeys();
cleaner.disconnect();
