const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs fn; on failure waits 1 s, then 2 s, then gives up (returns undefined). */
export async function withBackoff<T>(fn: () => Promise<T>, delays: readonly number[] = [1000, 2000]): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const wait = delays[attempt];
      if (wait === undefined) {
        console.error('withBackoff: giving up', err);
        return undefined;
      }
      await sleep(wait);
    }
  }
}
