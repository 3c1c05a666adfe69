import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Deployed with MAIN_URL in the environment (prefixUrl must not end with a slash for their paths).
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  process.env.MAIN_URL = serverUrl;
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/campaign.js')).href);
  return processCampaign(campaign, recipients, mailer);
}
