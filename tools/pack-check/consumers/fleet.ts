// Compiled as ESM (.mts), as CommonJS (.cts) and with bundler resolution, then run: what a user's first file does.
// No Redis here: a client that never connects, so the budget falls back to its static share (0: it never saw the
// members) and waits, which the signal ends.
import {
  type CampaignDistributorOptions,
  createFleetBudget,
  type FleetBudgetOptions,
  fairShare,
  isFleetClosedError,
  localShare,
  slidingWindow,
} from '@scope/fleet';

const neverConnected = { status: 'connecting', defineCommand() {} };

async function main(): Promise<string> {
  const results: unknown[] = [
    localShare(10, ['a', 'b', 'c'], 'b'),
    localShare(2, ['a', 'b', 'c'], 'c'),
    fairShare({ campaigns: 10, members: 4, max: 50 }),
    slidingWindow([0, 100], 150, 2, 1_000),
  ];
  try {
    createFleetBudget({ redis: neverConnected, name: 'consumer', budget: 0 });
  } catch (error) {
    results.push((error as Error).message);
  }
  const options: FleetBudgetOptions = { redis: neverConnected, name: 'consumer', budget: 4, windowMs: 1_000 };
  const budget = createFleetBudget(options);
  const attempt = await budget.acquire(undefined, { signal: AbortSignal.timeout(100) }).then(
    () => 'granted',
    (error: unknown) => (error as Error).name,
  );
  results.push(attempt, budget.mode, budget.localStats().share);
  await budget.close();
  results.push(await budget.acquire().catch((error: unknown) => isFleetClosedError(error)));
  const distributorOptions: Partial<CampaignDistributorOptions<{ recipients: string[] }>> = { lockDurationMs: 8_000 };
  results.push(distributorOptions.lockDurationMs);
  const result = JSON.stringify(results);
  const expected = JSON.stringify([
    3,
    0,
    3,
    { grant: false, waitMs: 851 },
    'Expected `budget` to be an integer >= 1, got `0` (number)',
    'TimeoutError',
    'local',
    0,
    true,
    8_000,
  ]);
  if (result !== expected) throw new Error(result);
  return 'ok';
}

main().then((message) => console.log(message));
