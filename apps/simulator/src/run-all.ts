import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Measurement } from './metrics.js';
import { SCENARIOS } from './scenarios.js';
import { VARIANTS } from './variants/index.js';

/**
 * Runs every selected scenario × variant, each in a worker thread, as many at once as there are cores. Results
 * come back in scenario and variant order, whatever order they finish in.
 */
export async function runAll(options: {
  seed: number;
  scenarios: readonly number[];
  onDone?: (m: Measurement) => void;
}): Promise<Measurement[]> {
  const tasks = options.scenarios.flatMap((scenario) =>
    VARIANTS.flatMap((v, variant) =>
      v.appliesTo && !v.appliesTo(SCENARIOS[scenario] as never) ? [] : [{ scenario, variant, seed: options.seed }],
    ),
  );
  const results: Measurement[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index] as (typeof tasks)[number];
      results[index] = await new Promise<Measurement>((resolve, reject) => {
        const worker = new Worker(new URL('./task.js', import.meta.url), { workerData: task });
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once(
          'exit',
          (code) => code !== 0 && reject(new Error(`simulation ${SCENARIOS[task.scenario]?.name} exited with ${code}`)),
        );
      });
      options.onDone?.(results[index] as Measurement);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), tasks.length)) }, lane));
  return results;
}
