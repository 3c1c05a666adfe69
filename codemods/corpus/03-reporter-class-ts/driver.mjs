import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Their src/index.ts builds WorkerOptions from flags and calls processCampaign(campaign, recipients, options).
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/campaign.ts')).href);
  return processCampaign(campaign, recipients, { serverUrl, transport: mailer });
}
