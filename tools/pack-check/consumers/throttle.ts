// Compiled as ESM (.mts), as CommonJS (.cts) and with bundler resolution, then run: what a user's first file does.
import { createThrottle, MIN_UPDATE_INTERVAL, type Throttle, type ThrottleOptions } from '@scope/throttle';

const options: ThrottleOptions = { minIntervalMs: 20 };

async function main(): Promise<string> {
  const throttle: Throttle = createThrottle(options);
  const sent: number[][] = [];
  const postEvents = throttle.wrap(
    async (_campaignId: string, events: number[]) => {
      sent.push(events);
      return events.length;
    },
    { key: (campaignId) => campaignId, merge: ([id, a], [, b]) => [id, [...a, ...b]] },
  );
  const first: Promise<number> = postEvents('c1', [1]);
  void postEvents('c1', [2]);
  const merged = postEvents('c1', [3]);
  await throttle.flush();
  const result = JSON.stringify({ sent, first: await first, merged: await merged, MIN_UPDATE_INTERVAL });
  if (result !== '{"sent":[[1],[2,3]],"first":1,"merged":2,"MIN_UPDATE_INTERVAL":15000}') throw new Error(result);
  return 'ok';
}

main().then((message) => console.log(message));
