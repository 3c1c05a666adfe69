// One lane of the corpus check: a worker thread that applies transforms with the built CLI's own `apply` (dist/),
// with its own ts-morph project, so two lanes use both cores. Answers { id, report } or { id, error }.
import { parentPort } from 'node:worker_threads';
import { apply, hotfixThrottle, schedulerMigration } from '../dist/index.js';

const transforms = new Map([hotfixThrottle, schedulerMigration].map((transform) => [transform.name, transform]));

parentPort.on('message', async ({ id, name, options }) => {
  try {
    const report = await apply(transforms.get(name), ['.'], options, () => undefined);
    parentPort.postMessage({ id, report: JSON.parse(JSON.stringify(report)) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
