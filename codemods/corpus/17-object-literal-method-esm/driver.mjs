import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { default: runner } = await import(pathToFileURL(join(workerDir, 'runner.js')).href);
  return runner.processCampaign(campaign, { recipients, mailer, serverUrl });
}
