import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/campaign.js')).href);
  const metrics = { emails: 0, postedEvents: 0, lostEvents: 0 };
  return processCampaign(campaign, recipients, { mailer, serverUrl, metrics });
}
