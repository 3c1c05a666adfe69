import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { default: worker } = await import(pathToFileURL(join(workerDir, 'src/index.js')).href);
  return worker.processCampaign(campaign, { serverUrl, recipients, transport: mailer });
}
