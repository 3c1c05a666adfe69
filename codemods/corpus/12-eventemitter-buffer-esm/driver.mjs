import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/run.js')).href);
  return processCampaign(campaign, recipients, { transport: mailer, mainServerUrl: serverUrl });
}
