import { createRequire } from 'node:module';
import { join } from 'node:path';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const require = createRequire(join(workerDir, 'package.json'));
  const { createWorker } = require('./src/index.js');
  const worker = createWorker({ serverUrl, mailer, log: () => {} });
  return worker.processCampaign(campaign, recipients);
}
