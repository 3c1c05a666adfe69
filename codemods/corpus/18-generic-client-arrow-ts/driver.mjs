import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Configured only through the environment, read once when the api module loads.
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  process.env.NW_API_URL = serverUrl;
  process.env.NW_API_KEY = 'corpus';
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/processCampaign.ts')).href);
  return processCampaign(campaign, recipients, (message) => mailer.sendMail(message));
}
