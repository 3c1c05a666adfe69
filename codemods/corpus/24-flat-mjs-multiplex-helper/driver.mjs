import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  process.env.MAIN_SERVER_URL = serverUrl;
  const { default: processCampaign } = await import(pathToFileURL(join(workerDir, 'campaign.mjs')).href);
  return processCampaign(campaign, recipients, mailer);
}
