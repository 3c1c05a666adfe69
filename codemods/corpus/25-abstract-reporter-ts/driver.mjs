import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { HttpReporter } = await import(pathToFileURL(join(workerDir, 'src/reporting/HttpReporter.ts')).href);
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/processCampaign.ts')).href);
  return processCampaign(campaign, recipients, mailer, new HttpReporter(serverUrl, campaign.id));
}
