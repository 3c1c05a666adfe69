import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Their composition root: one axios instance per process, handed to the worker.
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const require = createRequire(join(workerDir, 'package.json'));
  const axios = require('axios');
  const { CampaignWorker } = await import(pathToFileURL(join(workerDir, 'src/CampaignWorker.ts')).href);
  const { consoleLogger } = await import(pathToFileURL(join(workerDir, 'src/logger.ts')).href);
  const http = axios.create({ baseURL: serverUrl, timeout: 15_000 });
  const worker = new CampaignWorker(http, mailer, consoleLogger);
  return worker.processCampaign({ ...campaign, recipients });
}
